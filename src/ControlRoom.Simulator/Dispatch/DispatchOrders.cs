using System.Text.Json;
using ControlRoom.Domain.Events;
using ControlRoom.Domain.Incidents;
using ControlRoom.Domain.Units;
using ControlRoom.Simulator.Scenario;

namespace ControlRoom.Simulator.Dispatch;

/// <summary>
/// The radio between the operations room and the simulated vehicles: from each incident's snapshot on
/// the stream it works out which units were just sent (drive there) and which were freed (drive back),
/// and hands those orders to <see cref="PatrolMovement"/> on the simulator's next tick.
/// </summary>
public sealed class DispatchOrders
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, HashSet<string>> _assigned = new(StringComparer.Ordinal); // incident → units
    private readonly List<Action<PatrolMovement>> _pending = [];

    /// <summary>Reads an <see cref="EventTypes.IncidentUpdated"/> snapshot; other events and shapes it cannot read are ignored.</summary>
    public void Observe(EventEnvelope e)
    {
        if (e.Type != EventTypes.IncidentUpdated || Read(e.Data) is not { } incident)
            return;
        lock (_gate)
        {
            var before = _assigned.GetValueOrDefault(incident.Id) ?? [];
            var now = incident.UnitsOut ? incident.Units : [];
            foreach (var unit in now.Except(before))
                _pending.Add(p => p.Dispatch(new UnitId(unit), incident.Lon, incident.Lat));
            foreach (var unit in before.Except(now))
                _pending.Add(p => p.Release(new UnitId(unit)));
            if (now.Count == 0)
                _assigned.Remove(incident.Id);
            else
                _assigned[incident.Id] = now;
        }
    }

    /// <summary>Gives the orders received since the last call to the vehicles.</summary>
    public void ApplyTo(PatrolMovement patrols)
    {
        Action<PatrolMovement>[] orders;
        lock (_gate)
        {
            orders = [.. _pending];
            _pending.Clear();
        }
        foreach (var order in orders)
            order(patrols);
    }

    private sealed record Snapshot(string Id, double Lon, double Lat, HashSet<string> Units, bool UnitsOut);

    /// <summary>Only the fields the vehicles need (id, status, lon, lat, assignedUnits): the web owns the full shape.</summary>
    private static Snapshot? Read(JsonElement data)
    {
        if (data.ValueKind != JsonValueKind.Object
            || !data.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String
            || !data.TryGetProperty("status", out var status) || !Enum.TryParse<IncidentStatus>(status.GetString(), out var s)
            || !data.TryGetProperty("lon", out var lon) || !lon.TryGetDouble(out var x)
            || !data.TryGetProperty("lat", out var lat) || !lat.TryGetDouble(out var y)
            || !data.TryGetProperty("assignedUnits", out var units) || units.ValueKind != JsonValueKind.Array)
            return null;
        var assigned = units.EnumerateArray().Where(u => u.ValueKind == JsonValueKind.String).Select(u => u.GetString()!).ToHashSet(StringComparer.Ordinal);
        // Resolved: the work is done and the units are free, even though the incident is not closed yet.
        return new Snapshot(id.GetString()!, x, y, assigned, UnitsOut: s != IncidentStatus.Resolved && !s.IsFinal());
    }
}

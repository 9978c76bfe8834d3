using System.Text.Json;
using ControlRoom.Domain.Audit;
using ControlRoom.Web.Features.Access;
using ControlRoom.Domain.Incidents;
using ControlRoom.Domain.Units;
using ControlRoom.Storage;

namespace ControlRoom.Web.Features.Incidents;

/// <summary>
/// A unit's status set by hand (busy on something that is not an incident, off duty, available again),
/// only from the status the operator saw: a unit dispatched meanwhile is never overwritten.
/// </summary>
public sealed class UnitCommands(IIncidentStore store, OutboxRelay relay, TimeProvider clock)
{
    public async Task<Refusal?> SetStatusAsync(UnitId id, UnitStatus seen, UnitStatus next, Operator by, CancellationToken cancellationToken)
    {
        if (by.Refuse(Permission.DispatchUnits) is { } notPermitted)
            return notPermitted;
        var unit = (await store.ListUnitsAsync(cancellationToken)).FirstOrDefault(u => u.Id == id);
        if (unit is null)
            return new Refusal("unknown-unit", $"There is no unit {id}.");
        if (Unit.RefuseHandStatus(seen, next) is { } refusal)
            return refusal;
        var now = clock.GetUtcNow();
        var message = IncidentMessages.UnitSetByHand(unit with { Status = next }, now, by.Name);
        var audit = new AuditEntry(now, by.Name, "unit.status-set", id.Value, JsonSerializer.Serialize(new { from = seen.ToString(), to = next.ToString() }), by.Origin);
        if (await store.SetUnitStatusAsync(id, seen, next, [message], audit, cancellationToken) is null)
        {
            var current = (await store.ListUnitsAsync(cancellationToken)).First(u => u.Id == id);
            return new Refusal(CommandOutcome.ConflictCode, $"Unit {id} is {current.Status} now, not {seen}: someone changed it. Nothing was saved.");
        }
        relay.Wake();
        return null;
    }
}

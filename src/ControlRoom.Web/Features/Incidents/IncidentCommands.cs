using ControlRoom.Domain.Audit;
using ControlRoom.Web.Features.Access;
using ControlRoom.Domain.Geography;
using ControlRoom.Domain.Incidents;
using ControlRoom.Domain.Units;
using ControlRoom.Storage;
using ControlRoom.Storage.EventSerialization;

namespace ControlRoom.Web.Features.Incidents;

/// <summary>What an operator asks for when opening an incident.</summary>
public sealed record OpenIncident(
    string TypeCode, Priority? Priority, IncidentSource Source, double Lon, double Lat, string Title, string? Description,
    IReadOnlyList<string>? AlertKeys = null, Domain.Events.Visibility Visibility = Domain.Events.Visibility.Operations);

/// <summary>
/// Operator commands on incidents: read the log, let the domain decide, write the events, the units'
/// new states and the outbox messages in one transaction at the version the operator saw. A command
/// against a version that moved on is refused as a conflict, never applied over someone else's change.
/// </summary>
public sealed class IncidentCommands(IIncidentStore store, ZoneIndex zones, OutboxRelay relay, TimeProvider clock)
{
    public Task<CommandOutcome> OpenAsync(OpenIncident command, Operator by, CancellationToken cancellationToken) =>
        OpenAsync(IncidentId.New(), command, by, cancellationToken);

    /// <summary>Opens the incident under a given id: a second open of the same id is refused as a conflict, so work repeated (another instance, a retry) opens it once.</summary>
    public async Task<CommandOutcome> OpenAsync(IncidentId id, OpenIncident command, Operator by, CancellationToken cancellationToken)
    {
        if (by.Refuse(Permission.CoordinateIncidents) is { } notPermitted)
            return CommandOutcome.Refused(id, 0, notPermitted);
        var location = Milan.Point(command.Lon, command.Lat);
        var zone = zones.Resolve(location);
        var (incident, refusal) = Incident.Open(id, clock.GetUtcNow(), by.Name, command.TypeCode, command.Priority, command.Source,
            location, zone.Municipio, zone.Nil, command.Title, command.Description, command.AlertKeys, command.Visibility);
        if (refusal is not null)
            return CommandOutcome.Refused(id, 0, refusal);
        return await CommitAsync(incident!, 0, incident!.Timeline, [], by, cancellationToken);
    }

    public Task<CommandOutcome> AcknowledgeAsync(IncidentId id, int seenVersion, Operator by, CancellationToken ct) =>
        DecideAsync(id, seenVersion, by, Permission.CoordinateIncidents, (i, at) => i.Acknowledge(at, by.Name), ct);

    public Task<CommandOutcome> ChangePriorityAsync(IncidentId id, int seenVersion, Priority priority, Operator by, CancellationToken ct) =>
        DecideAsync(id, seenVersion, by, Permission.CoordinateIncidents, (i, at) => i.ChangePriority(priority, at, by.Name), ct);

    public Task<CommandOutcome> AddNoteAsync(IncidentId id, int seenVersion, string text, Operator by, CancellationToken ct) =>
        DecideAsync(id, seenVersion, by, Permission.CoordinateIncidents, (i, at) => i.AddNote(text, at, by.Name), ct);

    public Task<CommandOutcome> ResolveAsync(IncidentId id, int seenVersion, Operator by, CancellationToken ct) =>
        DecideAsync(id, seenVersion, by, Permission.CoordinateIncidents, (i, at) => i.Resolve(at, by.Name), ct);

    public Task<CommandOutcome> CloseAsync(IncidentId id, int seenVersion, string outcome, Operator by, CancellationToken ct) =>
        DecideAsync(id, seenVersion, by, Permission.CoordinateIncidents, (i, at) => i.Close(outcome, at, by.Name), ct);

    public Task<CommandOutcome> CancelAsync(IncidentId id, int seenVersion, string reason, Operator by, CancellationToken ct) =>
        DecideAsync(id, seenVersion, by, Permission.CoordinateIncidents, (i, at) => i.Cancel(reason, at, by.Name), ct);

    public Task<CommandOutcome> MarkUnfoundedAsync(IncidentId id, int seenVersion, string reason, Operator by, CancellationToken ct) =>
        DecideAsync(id, seenVersion, by, Permission.CoordinateIncidents, (i, at) => i.MarkUnfounded(reason, at, by.Name), ct);

    public async Task<CommandOutcome> DispatchAsync(IncidentId id, int seenVersion, UnitId unitId, Operator by, CancellationToken ct)
    {
        if (by.Refuse(Permission.DispatchUnits) is { } notPermitted)
            return CommandOutcome.Refused(id, seenVersion, notPermitted);
        var unit = (await store.ListUnitsAsync(ct)).FirstOrDefault(u => u.Id == unitId);
        if (unit is null)
            return CommandOutcome.Refused(id, seenVersion, new Refusal("unknown-unit", $"There is no unit {unitId}."));
        return await DecideAsync(id, seenVersion, by, Permission.DispatchUnits, (i, at) => i.Dispatch(unit, at, by.Name), ct);
    }

    public Task<CommandOutcome> ArriveAsync(IncidentId id, int seenVersion, UnitId unit, Operator by, CancellationToken ct) =>
        DecideAsync(id, seenVersion, by, Permission.DispatchUnits, (i, at) => i.Arrive(unit, at, by.Name), ct);

    public Task<CommandOutcome> ReleaseAsync(IncidentId id, int seenVersion, UnitId unit, Operator by, CancellationToken ct) =>
        DecideAsync(id, seenVersion, by, Permission.DispatchUnits, (i, at) => i.Release(unit, at, by.Name), ct);

    /// <summary>
    /// The incident as <paramref name="by"/> may see it: null when there is none, or when it is above the
    /// caller's clearance (an id typed or sent by hand confirms nothing, and no command reaches it).
    /// </summary>
    public async Task<Incident?> LoadAsync(IncidentId id, Operator by, CancellationToken ct)
    {
        var log = await store.LoadAsync(id, ct);
        var incident = log.Count == 0 ? null : Incident.Replay(log);
        return incident is not null && (by.IsAutomation || (by.Role is { } role && incident.Visibility <= AccessPolicy.Clearance(role))) ? incident : null;
    }

    private async Task<CommandOutcome> DecideAsync(IncidentId id, int seenVersion, Operator by, Permission permission, Func<Incident, DateTimeOffset, Decision> decide, CancellationToken ct)
    {
        if (by.Refuse(permission) is { } notPermitted)
            return CommandOutcome.Refused(id, seenVersion, notPermitted);
        var incident = await LoadAsync(id, by, ct);
        if (incident is null)
            return CommandOutcome.Refused(id, 0, new Refusal("not-found", $"There is no incident {id}."));
        if (incident.Version != seenVersion)
            return Conflict(incident, seenVersion);
        var decision = decide(incident, clock.GetUtcNow());
        if (decision.Refusal is { } refusal)
            return CommandOutcome.Refused(id, incident.Version, refusal);

        incident.Apply(decision.Event!);
        var units = await UnitChangesAsync(incident, decision.Event!, ct);
        return await CommitAsync(incident, seenVersion, [decision.Event!], units, by, ct);
    }

    /// <summary>What the event means for the units: on the way, on scene, or free again.</summary>
    private async Task<IReadOnlyList<Unit>> UnitChangesAsync(Incident incident, IncidentEvent e, CancellationToken ct)
    {
        (UnitId Id, UnitStatus Status)[] changes = e switch
        {
            UnitDispatched d => [(d.Unit, UnitStatus.EnRoute)],
            UnitArrived a => [(a.Unit, UnitStatus.OnScene)],
            UnitReleased r => [(r.Unit, UnitStatus.Available)],
            IncidentResolved or IncidentClosed or IncidentCancelled or IncidentUnfounded =>
                [.. incident.AssignedUnits.Select(u => (u, UnitStatus.Available))],
            _ => [],
        };
        if (changes.Length == 0)
            return [];
        var roster = (await store.ListUnitsAsync(ct)).ToDictionary(u => u.Id);
        return [.. changes.Where(c => roster.ContainsKey(c.Id)).Select(c => roster[c.Id] with
        {
            Status = c.Status,
            Incident = c.Status == UnitStatus.Available ? null : incident.Id,
        })];
    }

    private async Task<CommandOutcome> CommitAsync(
        Incident incident, int expectedVersion, IReadOnlyList<IncidentEvent> events, IReadOnlyList<Unit> units, Operator by, CancellationToken ct)
    {
        var outbox = new List<(string, string)> { IncidentMessages.Updated(incident) };
        outbox.AddRange(units.Select(u => IncidentMessages.UnitChanged(u, incident)));
        if (OutboxLimits.Refuse([.. outbox]) is { } tooLarge)
            return CommandOutcome.Refused(incident.Id, expectedVersion, tooLarge);
        try
        {
            var last = events[^1]; // one command, one event
            var audit = new AuditEntry(last.At, by.Name, "incident." + IncidentEventJson.TypeOf(last), incident.Id.ToString(),
                IncidentEventJson.Serialize(last), by.Origin);
            await store.AppendAsync(incident.Id, expectedVersion, events, units, outbox, audit, ct);
        }
        catch (ConcurrencyConflictException)
        {
            // Lost a race with another operator between our read and our write.
            return Conflict(await LoadAsync(incident.Id, by, ct) ?? incident, expectedVersion);
        }
        catch (UnitUnavailableException e)
        {
            // Another incident (or a hand change) took the unit between our read and our write.
            return CommandOutcome.Refused(incident.Id, expectedVersion, new Refusal("unit-not-available", e.Message));
        }
        relay.Wake();
        return CommandOutcome.Done(incident);
    }

    private static CommandOutcome Conflict(Incident current, int seenVersion)
    {
        var last = current.Timeline[^1];
        return CommandOutcome.Refused(current.Id, current.Version, new Refusal(CommandOutcome.ConflictCode,
            $"The incident changed since you opened it (version {seenVersion} → {current.Version}): " +
            $"{last.By} recorded {last.GetType().Name} at {last.At:HH:mm:ss}. Nothing of yours was saved; review and try again."));
    }
}

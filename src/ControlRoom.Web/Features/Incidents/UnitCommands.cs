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
    public async Task<Refusal?> SetStatusAsync(UnitId id, UnitStatus seen, UnitStatus next, string by, CancellationToken cancellationToken)
    {
        var unit = (await store.ListUnitsAsync(cancellationToken)).FirstOrDefault(u => u.Id == id);
        if (unit is null)
            return new Refusal("unknown-unit", $"There is no unit {id}.");
        if (Unit.RefuseHandStatus(seen, next) is { } refusal)
            return refusal;
        var message = IncidentMessages.UnitSetByHand(unit with { Status = next }, clock.GetUtcNow(), by);
        if (await store.SetUnitStatusAsync(id, seen, next, [message], cancellationToken) is null)
        {
            var now = (await store.ListUnitsAsync(cancellationToken)).First(u => u.Id == id);
            return new Refusal(CommandOutcome.ConflictCode, $"Unit {id} is {now.Status} now, not {seen}: someone changed it. Nothing was saved.");
        }
        relay.Wake();
        return null;
    }
}

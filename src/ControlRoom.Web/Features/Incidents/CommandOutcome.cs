using ControlRoom.Domain.Incidents;

namespace ControlRoom.Web.Features.Incidents;

/// <summary>What became of an operator's command: done (at a new version) or refused with a reason the UI can show.</summary>
public sealed record CommandOutcome(IncidentId Incident, int Version, Refusal? Refusal)
{
    public bool Succeeded => Refusal is null;

    /// <summary>The incident changed since this operator read it; nothing was overwritten.</summary>
    public bool IsConflict => Refusal?.Code == ConflictCode;

    public const string ConflictCode = "conflict";

    public static CommandOutcome Done(Incident incident) => new(incident.Id, incident.Version, null);

    public static CommandOutcome Refused(IncidentId id, int version, Refusal refusal) => new(id, version, refusal);
}

namespace ControlRoom.Domain.Incidents;

/// <summary>Why a command was refused: a stable code the UI translates, and an English message for APIs and logs.</summary>
public sealed record Refusal(string Code, string Message)
{
    public static Refusal Transition(IncidentStatus from, string action) =>
        new("invalid-transition", $"Cannot {action} an incident that is {from}.");
}

/// <summary>Either the event a command produced or why it was refused.</summary>
public readonly record struct Decision(IncidentEvent? Event, Refusal? Refusal)
{
    public bool Accepted => Event is not null;

    public static implicit operator Decision(IncidentEvent e) => new(e, null);

    public static implicit operator Decision(Refusal r) => new(null, r);
}

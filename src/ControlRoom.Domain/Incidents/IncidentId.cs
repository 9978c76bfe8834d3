namespace ControlRoom.Domain.Incidents;

public readonly record struct IncidentId(Guid Value)
{
    public static IncidentId New() => new(Guid.CreateVersion7());

    public override string ToString() => Value.ToString("D");

    public static bool TryParse(string? text, out IncidentId id)
    {
        var ok = Guid.TryParse(text, out var guid);
        id = new IncidentId(guid);
        return ok;
    }
}

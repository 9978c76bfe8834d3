namespace ControlRoom.Domain.Events;

/// <summary>Who may see an event, set by its producer (the Urban Digital Ecosystem rule). Ordered: higher is narrower.</summary>
public enum Visibility
{
    Public = 0,
    Operations = 1,
    Restricted = 2,
    Confidential = 3,
}

public static class VisibilityNames
{
    public static string ToWire(this Visibility visibility) => visibility switch
    {
        Visibility.Public => "public",
        Visibility.Operations => "operations",
        Visibility.Restricted => "restricted",
        Visibility.Confidential => "confidential",
        _ => throw new ArgumentOutOfRangeException(nameof(visibility)),
    };

    public static bool TryParse(string? value, out Visibility visibility)
    {
        visibility = value switch
        {
            "public" => Visibility.Public,
            "operations" => Visibility.Operations,
            "restricted" => Visibility.Restricted,
            "confidential" => Visibility.Confidential,
            _ => (Visibility)(-1),
        };
        return visibility >= Visibility.Public;
    }
}

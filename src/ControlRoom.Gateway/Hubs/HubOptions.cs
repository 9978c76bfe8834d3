using System.ComponentModel.DataAnnotations;

namespace ControlRoom.Gateway.Hubs;

public sealed class HubOptions
{
    public const string Section = "Hub";

    /// <summary>Subscribed connections at most: each one replays the retained window on subscribe.</summary>
    [Range(1, 100_000)]
    public int MaxSubscriptions { get; set; } = 64;
}

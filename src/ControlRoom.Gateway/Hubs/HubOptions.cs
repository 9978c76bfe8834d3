using System.ComponentModel.DataAnnotations;

namespace ControlRoom.Gateway.Hubs;

public sealed class HubOptions
{
    public const string Section = "Hub";

    /// <summary>Subscribed connections at most: each one replays the retained window on subscribe.</summary>
    [Range(1, 100_000)]
    public int MaxSubscriptions { get; set; } = 64;

    /// <summary>
    /// How long a connection's configured API key holds before the hub closes it; the client reconnects
    /// (resuming where it was, a blink of "reconnecting" on screens) and its key is checked again, so a
    /// revoked key stops receiving within this time.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan KeyRecheck { get; set; } = TimeSpan.FromMinutes(15);
}

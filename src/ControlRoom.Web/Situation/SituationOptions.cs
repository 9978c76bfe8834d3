using System.ComponentModel.DataAnnotations;

namespace ControlRoom.Web.Situation;

public sealed class SituationOptions
{
    public const string Section = "Situation";

    /// <summary>How many alerts the web process keeps in memory (newest); older ones leave the feed and map.</summary>
    [Range(10, 1_000_000)]
    public int MaxAlerts { get; set; } = 5_000;

    /// <summary>Changes a lagging circuit may have queued before it must resynchronise.</summary>
    [Range(16, 1_000_000)]
    public int SubscriberCapacity { get; set; } = 4_096;

    /// <summary>Alerts from the same source and place this close in time are one row in the inbox.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan DuplicateWindow { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long a circuit gathers changes before rendering once.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:05")]
    public TimeSpan RenderBatchWindow { get; set; } = TimeSpan.FromMilliseconds(100);
}

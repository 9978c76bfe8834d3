using System.ComponentModel.DataAnnotations;

namespace ControlRoom.EventStream;

public sealed class EventStreamOptions
{
    public const string Section = "EventStream";

    /// <summary>Logical stream name; Redis keys are derived from it.</summary>
    [Required, RegularExpression("^[a-z0-9-]{1,40}$")]
    public string Name { get; set; } = "events";

    /// <summary>Approximate number of entries kept: the replay window.</summary>
    [Range(1_000, 10_000_000)]
    public int MaxLength { get; set; } = 100_000;

    /// <summary>
    /// How long a (source, id) pair is remembered so a re-sent event is accepted once. Producers retry
    /// within minutes; each remembered pair costs a Redis key, so at sensor rates a day would cost
    /// millions of keys.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan DedupeWindow { get; set; } = TimeSpan.FromMinutes(15);
}

using System.Globalization;

namespace ControlRoom.EventStream;

/// <summary>A position in the stream, Redis-style "milliseconds-sequence". Totally ordered.</summary>
public readonly record struct StreamId(long Milliseconds, long Sequence) : IComparable<StreamId>
{
    /// <summary>Before every entry: reading after Zero reads from the start of the retained window.</summary>
    public static readonly StreamId Zero = new(0, 0);

    public int CompareTo(StreamId other) =>
        Milliseconds != other.Milliseconds ? Milliseconds.CompareTo(other.Milliseconds) : Sequence.CompareTo(other.Sequence);

    public static bool operator <(StreamId a, StreamId b) => a.CompareTo(b) < 0;
    public static bool operator >(StreamId a, StreamId b) => a.CompareTo(b) > 0;
    public static bool operator <=(StreamId a, StreamId b) => a.CompareTo(b) <= 0;
    public static bool operator >=(StreamId a, StreamId b) => a.CompareTo(b) >= 0;

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Milliseconds}-{Sequence}");

    public static bool TryParse(string? text, out StreamId id)
    {
        id = Zero;
        if (string.IsNullOrEmpty(text))
            return false;
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0
            || !long.TryParse(text.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            || !long.TryParse(text.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
            return false;
        id = new StreamId(ms, seq);
        return true;
    }

    public static StreamId Parse(string text) =>
        TryParse(text, out var id) ? id : throw new FormatException($"'{text}' is not a stream id (expected ms-seq).");
}

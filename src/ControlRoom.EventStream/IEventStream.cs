using ControlRoom.Domain.Events;

namespace ControlRoom.EventStream;

public sealed record StreamEntry(StreamId Id, EventEnvelope Event);

/// <summary>Where an appended event landed; <see cref="Duplicate"/> when the same source and id were already on the stream.</summary>
public sealed record AppendResult(StreamId Id, bool Duplicate);

public sealed record StreamInfo(long Length, StreamId LastId);

/// <summary>
/// The transport seam: an ordered, trimmed log of envelopes with idempotent append, range reads from a
/// last id (fan-out: every reader sees everything) and consumer groups (work that must happen once).
/// Implemented on Redis Streams and in memory with the same semantics; one contract suite tests both.
/// </summary>
public interface IEventStream
{
    /// <summary>Appends unless an event with the same source and id was appended within the dedupe window.</summary>
    Task<AppendResult> AppendAsync(EventEnvelope envelope, CancellationToken cancellationToken = default);

    /// <summary>Appends in order; each event deduplicated as in <see cref="AppendAsync"/>.</summary>
    Task<IReadOnlyList<AppendResult>> AppendBatchAsync(IReadOnlyList<EventEnvelope> envelopes, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="count"/> entries strictly after <paramref name="after"/>, in stream order.</summary>
    Task<IReadOnlyList<StreamEntry>> ReadAfterAsync(StreamId after, int count, CancellationToken cancellationToken = default);

    Task<StreamInfo> GetInfoAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Completes at the next append (possibly by another process). Take it BEFORE reading, then await it
    /// only if the read was empty, so no append between the two is missed.
    /// </summary>
    Task NextAppend { get; }

    /// <summary>Creates the group if missing. <paramref name="startAfter"/> null means "only new entries".</summary>
    Task EnsureGroupAsync(string group, StreamId? startAfter, CancellationToken cancellationToken = default);

    /// <summary>New entries for this consumer; they stay pending until acknowledged.</summary>
    Task<IReadOnlyList<StreamEntry>> ReadGroupAsync(string group, string consumer, int count, CancellationToken cancellationToken = default);

    Task AcknowledgeAsync(string group, IReadOnlyList<StreamId> ids, CancellationToken cancellationToken = default);

    /// <summary>Takes over entries pending longer than <paramref name="minIdle"/> (a consumer died) for this consumer.</summary>
    Task<IReadOnlyList<StreamEntry>> ClaimIdleAsync(string group, string consumer, TimeSpan minIdle, int count, CancellationToken cancellationToken = default);

    Task<long> PendingCountAsync(string group, CancellationToken cancellationToken = default);
}

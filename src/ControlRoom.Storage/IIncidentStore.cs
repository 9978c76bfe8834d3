using ControlRoom.Domain.Alerts;
using ControlRoom.Domain.Audit;
using ControlRoom.Domain.Incidents;
using ControlRoom.Domain.Units;

namespace ControlRoom.Storage;

/// <summary>The current state of an incident, as the board lists it (kept in step with the log).</summary>
public sealed record IncidentSummary(
    IncidentId Id, string TypeCode, Priority Priority, IncidentStatus Status, double Lon, double Lat,
    int? Municipio, string? Nil, string Title, int Version, DateTimeOffset OpenedAt, DateTimeOffset UpdatedAt,
    IReadOnlyList<string> AssignedUnits);

/// <summary>A critical system's status as the systems board saw it change: the history behind 30- and 90-day uptime.</summary>
public sealed record SystemStatusChange(string System, DateTimeOffset At, string Status);

/// <summary>A critical system's latency over one hour (UTC, starting at <paramref name="Hour"/>): how many samples, their mean and the slowest.</summary>
public sealed record SystemLatencyHour(string System, DateTimeOffset Hour, int Samples, double MeanMs, double MaxMs);

/// <summary>A message that must reach the event stream because a transaction committed (the outbox).</summary>
public sealed record OutboxMessage(long Sequence, string Type, string Payload, DateTimeOffset CreatedAt);

/// <summary>Thrown when the incident changed since the caller read it: nothing was written.</summary>
public sealed class ConcurrencyConflictException(IncidentId incident, int expected, int actual)
    : Exception($"Incident {incident} is at version {actual}, not {expected}: someone else changed it.")
{
    public IncidentId Incident { get; } = incident;
    public int ExpectedVersion { get; } = expected;
    public int ActualVersion { get; } = actual;
}

/// <summary>Which audit records to list: newest first, at most <paramref name="Limit"/>; text filters match a part, any case.</summary>
public sealed record AuditQuery(DateTimeOffset? From = null, DateTimeOffset? To = null, string? Actor = null, string? Action = null, int Limit = 500);

/// <summary>Thrown when a dispatch would take a unit that is no longer available: nothing was written.</summary>
public sealed class UnitUnavailableException(UnitId unit, UnitStatus? actual)
    : Exception(actual is null ? $"There is no unit {unit}." : $"Unit {unit} is {actual}, not available.")
{
    public UnitId Unit { get; } = unit;
    public UnitStatus? ActualStatus { get; } = actual;
}

/// <summary>
/// The system of record for operator decisions: an append-only incident event log, current-state
/// tables (incidents, units) and an outbox, written in ONE transaction so "saved" and "published"
/// cannot disagree. Implemented on PostgreSQL/PostGIS and on an embedded SQL store; one contract suite
/// tests both.
/// </summary>
public interface IIncidentStore
{
    /// <summary>Where the store is, for people: "PostgreSQL host:port/database" or "SQLite /path/file.db" (no secrets).</summary>
    string Location { get; }

    /// <summary>Creates or upgrades the schema; safe to run at every start and from several processes.</summary>
    Task MigrateAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends <paramref name="events"/> to the incident's log if its version is still
    /// <paramref name="expectedVersion"/> (0 for a new incident), updates its current state, writes
    /// <paramref name="unitChanges"/>, enqueues <paramref name="outbox"/> (type, JSON payload) and chains
    /// <paramref name="audit"/> onto the audit trail — all or nothing.
    /// </summary>
    /// <exception cref="ConcurrencyConflictException">The version moved on; nothing was written.</exception>
    /// <exception cref="UnitUnavailableException">A unit going en route was not available any more; nothing was written.</exception>
    Task AppendAsync(
        IncidentId incident, int expectedVersion, IReadOnlyList<IncidentEvent> events,
        IReadOnlyList<Unit> unitChanges, IReadOnlyList<(string Type, string Payload)> outbox, AuditEntry audit,
        CancellationToken cancellationToken = default);

    /// <summary>The incident's whole log in order, or empty when it does not exist.</summary>
    Task<IReadOnlyList<IncidentEvent>> LoadAsync(IncidentId incident, CancellationToken cancellationToken = default);

    /// <summary>Current state of incidents, open ones first then newest; <paramref name="includeFinal"/> adds closed/cancelled/unfounded.</summary>
    Task<IReadOnlyList<IncidentSummary>> ListAsync(bool includeFinal, int limit, CancellationToken cancellationToken = default);

    /// <summary>Inserts units that do not exist yet (the seed roster); existing ones keep their state.</summary>
    Task SeedUnitsAsync(IReadOnlyList<Unit> units, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Unit>> ListUnitsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets a unit's status by hand (busy, off duty, available again) if it is still
    /// <paramref name="expected"/> and on no incident, enqueues <paramref name="outbox"/> and audits: all or nothing.
    /// </summary>
    /// <returns>The unit as stored, or null when it does not exist or its status moved on (nothing written).</returns>
    Task<Unit?> SetUnitStatusAsync(UnitId unit, UnitStatus expected, UnitStatus next,
        IReadOnlyList<(string Type, string Payload)> outbox, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>Appends an operator's decision on inbox alerts, enqueues <paramref name="outbox"/> and audits, in one transaction.</summary>
    Task RecordTriageAsync(AlertTriage triage, IReadOnlyList<(string Type, string Payload)> outbox, AuditEntry audit,
        CancellationToken cancellationToken = default);

    /// <summary>Chains an action that writes nothing else (an export, a check) onto the audit trail.</summary>
    Task<AuditRecord> AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Audit records matching <paramref name="query"/>, newest first.</summary>
    Task<IReadOnlyList<AuditRecord>> ReadAuditAsync(AuditQuery query, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="max"/> audit records after <paramref name="afterSequence"/>, in chain order (for verification).</summary>
    Task<IReadOnlyList<AuditRecord>> ReadAuditChainAsync(long afterSequence, int max, CancellationToken cancellationToken = default);

    /// <summary>Decisions taken at or after <paramref name="since"/>, oldest first (an alert's state is its latest).</summary>
    Task<IReadOnlyList<AlertTriage>> ListTriageAsync(DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>Keeps status changes of critical systems; one already kept (same system and time, e.g. from another instance) stays as it was.</summary>
    Task RecordSystemStatusAsync(IReadOnlyList<SystemStatusChange> changes, CancellationToken cancellationToken = default);

    /// <summary>The status changes at or after <paramref name="since"/>, oldest first.</summary>
    Task<IReadOnlyList<SystemStatusChange>> ListSystemStatusAsync(DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>Keeps hourly latency; for an hour already kept, the summary of more samples wins (an instance that started mid-hour saw fewer).</summary>
    Task RecordSystemLatencyAsync(IReadOnlyList<SystemLatencyHour> hours, CancellationToken cancellationToken = default);

    /// <summary>The hours starting at or after <paramref name="since"/>, oldest first.</summary>
    Task<IReadOnlyList<SystemLatencyHour>> ListSystemLatencyAsync(DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>Oldest unpublished outbox messages first.</summary>
    Task<IReadOnlyList<OutboxMessage>> ReadOutboxAsync(int max, CancellationToken cancellationToken = default);

    Task MarkPublishedAsync(IReadOnlyList<long> sequences, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets aside a message the stream refused for good (dead letter): it leaves the queue, so it cannot
    /// hold back the ones after it, and stays in the table with <paramref name="reason"/> for inspection.
    /// </summary>
    Task MarkRejectedAsync(long sequence, string reason, CancellationToken cancellationToken = default);
}

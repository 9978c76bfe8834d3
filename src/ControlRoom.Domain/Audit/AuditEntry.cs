namespace ControlRoom.Domain.Audit;

/// <summary>
/// One operator or administrator action, as the audit trail keeps it: who, when, what (an action name and
/// its subject, with details as JSON) and from where (the client's address).
/// </summary>
public sealed record AuditEntry
{
    /// <summary>Room for the longest alert key (source, newline, id) as a subject.</summary>
    public const int MaxFieldLength = 1_024;
    public const int MaxDetailsLength = 131_072; // above what an outbox message may carry (OutboxLimits)

    public AuditEntry(DateTimeOffset at, string actor, string action, string subject, string details, string origin)
        : this(new Fields(at, actor, action, subject, details, origin))
    {
        Check(actor, nameof(actor));
        Check(action, nameof(action));
        Check(subject, nameof(subject));
        Check(origin, nameof(origin));
        if (details is null || details.Length > MaxDetailsLength)
            throw new ArgumentException($"Audit details are required, at most {MaxDetailsLength} characters.", nameof(details));
    }

    private AuditEntry(Fields f)
    {
        At = ToMicroseconds(f.At);
        (Actor, Action, Subject, Details, Origin) = (f.Actor ?? "", f.Action ?? "", f.Subject ?? "", f.Details ?? "", f.Origin ?? "");
    }

    /// <summary>A record as read back from a store: not validated again, so a tampered row is named by the chain check instead of failing the read.</summary>
    public static AuditEntry Stored(DateTimeOffset at, string actor, string action, string subject, string details, string origin) =>
        new(new Fields(at, actor, action, subject, details, origin));

    private readonly record struct Fields(DateTimeOffset At, string Actor, string Action, string Subject, string Details, string Origin);

    public DateTimeOffset At { get; }
    public string Actor { get; }
    public string Action { get; }
    public string Subject { get; }
    public string Details { get; }
    public string Origin { get; }

    /// <summary>UTC, cut to whole microseconds: what PostgreSQL keeps, so a stored record hashes (and compares) exactly the same.</summary>
    public static DateTimeOffset ToMicroseconds(DateTimeOffset at) => new(at.UtcTicks - (at.UtcTicks % 10), TimeSpan.Zero);

    private static void Check(string value, string name)
    {
        if (value is null || value.Length > MaxFieldLength)
            throw new ArgumentException($"Audit {name} is required, at most {MaxFieldLength} characters.", name);
    }
}

/// <summary>An <see cref="AuditEntry"/> where it sits in the chain: its number, the previous record's hash and its own.</summary>
public sealed record AuditRecord(long Sequence, AuditEntry Entry, string PreviousHash, string Hash);

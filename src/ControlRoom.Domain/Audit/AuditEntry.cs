namespace ControlRoom.Domain.Audit;

/// <summary>
/// One operator or administrator action, as the audit trail keeps it: who, when, what (an action name and
/// its subject, with details as JSON) and from where (the client's address).
/// </summary>
public sealed record AuditEntry
{
    public const int MaxFieldLength = 512;
    public const int MaxDetailsLength = 16_384;

    public AuditEntry(DateTimeOffset at, string actor, string action, string subject, string details, string origin)
    {
        Check(actor, nameof(actor));
        Check(action, nameof(action));
        Check(subject, nameof(subject));
        Check(origin, nameof(origin));
        if (details.Length > MaxDetailsLength)
            throw new ArgumentException($"Audit details may be at most {MaxDetailsLength} characters.", nameof(details));
        // Microseconds: what PostgreSQL keeps, so the hash of a stored record can be recomputed exactly.
        At = new DateTimeOffset(at.UtcTicks - (at.UtcTicks % 10), TimeSpan.Zero);
        (Actor, Action, Subject, Details, Origin) = (actor, action, subject, details, origin);
    }

    public DateTimeOffset At { get; }
    public string Actor { get; }
    public string Action { get; }
    public string Subject { get; }
    public string Details { get; }
    public string Origin { get; }

    private static void Check(string value, string name)
    {
        if (value is null || value.Length > MaxFieldLength)
            throw new ArgumentException($"Audit {name} is required, at most {MaxFieldLength} characters.", name);
    }
}

/// <summary>An <see cref="AuditEntry"/> where it sits in the chain: its number, the previous record's hash and its own.</summary>
public sealed record AuditRecord(long Sequence, AuditEntry Entry, string PreviousHash, string Hash);

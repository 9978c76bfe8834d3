using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ControlRoom.Domain.Audit;

/// <summary>How a record does not fit the chain.</summary>
public enum AuditBreak
{
    /// <summary>Its number does not follow the previous one: records were removed or moved.</summary>
    Missing,

    /// <summary>It does not link to the previous record's hash: a record before it was changed, removed or moved.</summary>
    Unlinked,

    /// <summary>Its own hash does not match its fields: it was changed.</summary>
    Altered,
}

/// <summary>What a check of the chain found: intact, or the first record that does not fit and why.</summary>
public sealed record AuditVerification(long Checked, long? FirstBroken, string? Problem, AuditBreak? Break = null)
{
    public bool Intact => FirstBroken is null;
}

/// <summary>
/// The audit trail's tamper evidence: each record's hash covers its fields and the previous record's hash
/// (SHA-256 over a canonical JSON array), numbered from 1 without gaps. Editing a record breaks its hash;
/// deleting or reordering records breaks the numbering or the link to the previous hash. (Removing the
/// newest records leaves a shorter valid chain: compare the head with a copy kept elsewhere.)
/// </summary>
public static class AuditChain
{
    public static readonly string Genesis = new('0', 64);

    public static AuditRecord Link(long sequence, AuditEntry entry, string previousHash) =>
        new(sequence, entry, previousHash, HashOf(sequence, entry, previousHash));

    public static string HashOf(long sequence, AuditEntry entry, string previousHash)
    {
        var canonical = JsonSerializer.Serialize(new object[]
        {
            sequence,
            entry.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            entry.Actor, entry.Action, entry.Subject, entry.Details, entry.Origin, previousHash,
        });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>
    /// Checks records in the order they are stored, continuing from <paramref name="previous"/> (the last
    /// record already checked, or null at the start). Stops at the first record that does not fit.
    /// </summary>
    public static AuditVerification Verify(IEnumerable<AuditRecord> records, AuditRecord? previous = null)
    {
        long checkedCount = 0;
        foreach (var record in records)
        {
            var expectedSequence = (previous?.Sequence ?? 0) + 1;
            var expectedPrevious = previous?.Hash ?? Genesis;
            if (record.Sequence != expectedSequence)
                return new(checkedCount, record.Sequence, $"record {record.Sequence} follows {expectedSequence - 1}: records are missing or out of order", AuditBreak.Missing);
            if (record.PreviousHash != expectedPrevious)
                return new(checkedCount, record.Sequence, $"record {record.Sequence} does not link to record {expectedSequence - 1}: a record before it was changed, removed or moved", AuditBreak.Unlinked);
            if (HashOf(record.Sequence, record.Entry, record.PreviousHash) != record.Hash)
                return new(checkedCount, record.Sequence, $"record {record.Sequence} was changed after it was written", AuditBreak.Altered);
            previous = record;
            checkedCount++;
        }
        return new(checkedCount, null, null);
    }
}

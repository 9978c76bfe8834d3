using ControlRoom.Domain.Audit;

namespace ControlRoom.Storage;

public static class AuditTrail
{
    private const int Page = 1_000;

    /// <summary>Checks the whole audit chain as stored, page by page, and names the first record that does not fit.</summary>
    public static async Task<AuditVerification> VerifyAuditAsync(this IIncidentStore store, CancellationToken cancellationToken = default)
    {
        AuditRecord? previous = null;
        long checkedCount = 0;
        while (true)
        {
            var page = await store.ReadAuditChainAsync(previous?.Sequence ?? 0, Page, cancellationToken);
            var result = AuditChain.Verify(page, previous);
            checkedCount += result.Checked;
            if (!result.Intact || page.Count < Page)
                return result with { Checked = checkedCount };
            previous = page[^1];
        }
    }
}

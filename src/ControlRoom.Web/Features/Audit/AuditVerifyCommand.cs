using System.Data.Common;
using ControlRoom.Storage;
using ControlRoom.Storage.Embedded;

namespace ControlRoom.Web.Features.Audit;

/// <summary>
/// <c>dotnet run --project src/ControlRoom.Web -- verify-audit</c>: checks the audit chain in the configured
/// store, read-only, and names the first broken record. Exit code 0 when intact, 1 when broken, 2 when
/// the store could not be checked (missing, unreachable, no audit trail): never "intact" by mistake.
/// </summary>
public static class AuditVerifyCommand
{
    public const string Name = "verify-audit";

    public static async Task<int> RunAsync(IIncidentStore store, TextWriter output, CancellationToken cancellationToken)
    {
        if (store is SqliteIncidentStore { DatabaseExists: false })
        {
            await output.WriteLineAsync($"Could not check the audit trail: there is no store at {store.Location}.");
            return 2;
        }
        try
        {
            var result = await store.VerifyAuditAsync(cancellationToken);
            if (!result.Intact)
            {
                await output.WriteLineAsync($"Audit chain BROKEN at record {result.FirstBroken}: {result.Problem} (intact before it: {result.Checked}). Store: {store.Location}.");
                return 1;
            }
            var newest = await store.ReadAuditAsync(new AuditQuery(Limit: 1), cancellationToken);
            await output.WriteLineAsync($"Audit chain intact: {result.Checked} records in {store.Location}."
                + (newest.Count == 0 ? "" : $" Newest: record {newest[0].Sequence}, hash {newest[0].Hash} (keep it elsewhere: a later check can prove nothing was cut off)."));
            return 0;
        }
        catch (DbException e)
        {
            await output.WriteLineAsync($"Could not check the audit trail in {store.Location}: {e.Message}");
            return 2;
        }
    }
}

using ControlRoom.Storage;

namespace ControlRoom.Web.Features.Audit;

/// <summary>
/// <c>dotnet run --project src/ControlRoom.Web -- verify-audit</c>: checks the audit chain in the configured
/// store and names the first broken record. Exit code 0 when intact, 1 when broken.
/// </summary>
public static class AuditVerifyCommand
{
    public const string Name = "verify-audit";

    public static async Task<int> RunAsync(IIncidentStore store, TextWriter output, CancellationToken cancellationToken)
    {
        await store.MigrateAsync(cancellationToken);
        var result = await store.VerifyAuditAsync(cancellationToken);
        if (result.Intact)
        {
            await output.WriteLineAsync($"Audit chain intact: {result.Checked} records.");
            return 0;
        }
        await output.WriteLineAsync($"Audit chain BROKEN at record {result.FirstBroken}: {result.Problem} (intact before it: {result.Checked}).");
        return 1;
    }
}

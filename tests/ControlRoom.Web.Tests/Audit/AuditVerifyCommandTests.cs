using ControlRoom.Domain.Audit;
using ControlRoom.Storage.Embedded;
using ControlRoom.Web.Features.Audit;
using Microsoft.Data.Sqlite;

namespace ControlRoom.Web.Tests.Audit;

/// <summary>The verify-audit command says "intact" or names the first broken record, with the exit code to match.</summary>
public sealed class AuditVerifyCommandTests : IDisposable
{
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"controlroom-audit-{Guid.NewGuid():N}.db");

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task IntactChain_ExitsZero_AnEditedRecord_ExitsOneNamingIt()
    {
        var store = new SqliteIncidentStore(_database, TimeProvider.System);
        await store.MigrateAsync(Ct);
        for (var i = 1; i <= 3; i++)
            await store.AppendAuditAsync(new AuditEntry(DateTimeOffset.UtcNow, $"op.{i}", "incident.note-added", $"{i}", "{}", "::1"), Ct);
        var intact = new StringWriter();

        (await AuditVerifyCommand.RunAsync(store, intact, Ct)).ShouldBe(0);
        var newest = (await store.ReadAuditChainAsync(2, 1, Ct))[0];
        intact.ToString().ShouldBe($"Audit chain intact: 3 records in SQLite {Path.GetFullPath(_database)}. Newest: record 3, hash {newest.Hash} " +
            $"(keep it elsewhere: a later check can prove nothing was cut off).{Environment.NewLine}");

        await using (var connection = new SqliteConnection(SqliteIncidentStore.ConnectionStringFor(_database)))
        {
            await connection.OpenAsync(Ct);
            await using var tamper = connection.CreateCommand();
            tamper.CommandText = "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET origin = '10.6.6.6' WHERE sequence = 2";
            await tamper.ExecuteNonQueryAsync(Ct);
        }
        var broken = new StringWriter();

        (await AuditVerifyCommand.RunAsync(store, broken, Ct)).ShouldBe(1);
        broken.ToString().ShouldStartWith("Audit chain BROKEN at record 2: record 2 was changed after it was written (intact before it: 1).");
    }

    [Fact]
    public async Task AMissingStoreOrOneWithoutAnAuditTrail_CannotBeChecked_ExitTwo_AndNothingIsCreated()
    {
        var missing = new SqliteIncidentStore(_database + ".nowhere", TimeProvider.System);
        var output = new StringWriter();

        (await AuditVerifyCommand.RunAsync(missing, output, Ct)).ShouldBe(2);
        output.ToString().ShouldStartWith("Could not check the audit trail: there is no store at SQLite ");
        File.Exists(_database + ".nowhere").ShouldBeFalse();

        await using (var empty = new SqliteConnection(SqliteIncidentStore.ConnectionStringFor(_database)))
            await empty.OpenAsync(Ct); // a file, but no schema
        var unmigrated = new StringWriter();
        (await AuditVerifyCommand.RunAsync(new SqliteIncidentStore(_database, TimeProvider.System), unmigrated, Ct)).ShouldBe(2);
        unmigrated.ToString().ShouldContain("no such table: audit_log");
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(_database) + "*"))
            File.Delete(file);
    }
}

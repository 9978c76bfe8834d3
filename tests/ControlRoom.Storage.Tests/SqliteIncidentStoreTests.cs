using ControlRoom.Storage.Embedded;
using Microsoft.Data.Sqlite;

namespace ControlRoom.Storage.Tests;

/// <summary>The contract on an SQLite file in a fresh temporary folder (a subfolder, so migrating must create it).</summary>
public sealed class SqliteIncidentStoreTests : IncidentStoreContract
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "controlroom-t-" + Guid.NewGuid().ToString("N"));

    private string DatabasePath => Path.Combine(_folder, "App_Data", "controlroom.db");

    protected override Task<IIncidentStore> CreateDatabaseAsync() => Task.FromResult(OpenAnotherStore());

    protected override IIncidentStore OpenAnotherStore() => new SqliteIncidentStore(DatabasePath, Clock);

    protected override Task DropDatabaseAsync()
    {
        // Pooled connections keep the file open; close them before deleting it.
        using (var connection = new SqliteConnection(SqliteIncidentStore.ConnectionStringFor(DatabasePath)))
            SqliteConnection.ClearPool(connection);
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    protected override async Task TamperAsync(string sql)
    {
        await using var connection = new SqliteConnection(SqliteIncidentStore.ConnectionStringFor(DatabasePath));
        await connection.OpenAsync(Ct);
        await Scalar(connection, "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; " + sql);
    }

    protected override async Task BreakAuditWritesAsync()
    {
        await using var connection = new SqliteConnection(SqliteIncidentStore.ConnectionStringFor(DatabasePath));
        await connection.OpenAsync(Ct);
        await Scalar(connection, "CREATE TRIGGER audit_down BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log unavailable'); END");
    }

    [Fact]
    public async Task Migrate_PutsTheFileInWalMode_AndEventsRefuseUpdateAndDelete()
    {
        await Store.MigrateAsync(Ct);
        var id = Domain.Incidents.IncidentId.New();
        await Store.AppendAsync(id, 0, [IncidentSamples.Opened(id)], [], [], IncidentSamples.Audited(), Ct);
        await using var connection = new SqliteConnection(SqliteIncidentStore.ConnectionStringFor(DatabasePath));
        await connection.OpenAsync(Ct);

        (await Scalar(connection, "PRAGMA journal_mode")).ShouldBe("wal");
        Should.Throw<SqliteException>(() => Scalar(connection, "UPDATE incident_events SET \"by\" = 'x'")).Message.ShouldContain("append-only");
        Should.Throw<SqliteException>(() => Scalar(connection, "DELETE FROM incident_events")).Message.ShouldContain("append-only");
        await Store.AppendAuditAsync(IncidentSamples.Audited(), Ct);
        Should.Throw<SqliteException>(() => Scalar(connection, "UPDATE audit_log SET actor = 'x'")).Message.ShouldContain("append-only");
        Should.Throw<SqliteException>(() => Scalar(connection, "DELETE FROM audit_log")).Message.ShouldContain("append-only");
    }

    private static async Task<object?> Scalar(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(Ct);
    }
}

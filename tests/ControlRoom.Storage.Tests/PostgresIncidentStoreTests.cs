using ControlRoom.Storage.Postgres;
using ControlRoom.Tests;
using Npgsql;

namespace ControlRoom.Storage.Tests;

/// <summary>
/// The contract on a real PostgreSQL (started by scripts/test.sh). Each test gets a database of its
/// own, created without PostGIS, so every test also covers installing the extension and reloading types.
/// </summary>
public sealed class PostgresIncidentStoreTests : IncidentStoreContract
{
    private readonly string _database = "controlroom_t_" + Guid.NewGuid().ToString("N");
    private readonly List<NpgsqlDataSource> _dataSources = [];

    private string ConnectionString =>
        new NpgsqlConnectionStringBuilder(TestEnvironment.Postgres) { Database = _database }.ConnectionString;

    protected override async Task<IIncidentStore> CreateDatabaseAsync()
    {
        await AdminAsync($"CREATE DATABASE {_database}");
        return OpenAnotherStore();
    }

    protected override IIncidentStore OpenAnotherStore()
    {
        var dataSource = PostgresIncidentStore.CreateDataSource(ConnectionString);
        _dataSources.Add(dataSource);
        return new PostgresIncidentStore(dataSource, Clock);
    }

    protected override async Task DropDatabaseAsync()
    {
        foreach (var dataSource in _dataSources)
            await dataSource.DisposeAsync();
        await AdminAsync($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)");
    }

    protected override async Task TamperAsync(string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        await dataSource.CreateCommand($"ALTER TABLE audit_log DISABLE TRIGGER USER; {sql}; ALTER TABLE audit_log ENABLE TRIGGER USER").ExecuteNonQueryAsync(Ct);
    }

    protected override async Task BreakAuditWritesAsync()
    {
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        await dataSource.CreateCommand("""
            CREATE FUNCTION audit_down() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit log unavailable'; END $$;
            CREATE TRIGGER audit_down BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_down();
            """).ExecuteNonQueryAsync(Ct);
    }

    [Fact]
    public async Task IncidentEvents_RefuseUpdateAndDelete()
    {
        await Store.MigrateAsync(Ct);
        var id = Domain.Incidents.IncidentId.New();
        await Store.AppendAsync(id, 0, [IncidentSamples.Opened(id)], [], [], IncidentSamples.Audited(), Ct);
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);

        var update = await Should.ThrowAsync<PostgresException>(async () =>
            await dataSource.CreateCommand("UPDATE incident_events SET \"by\" = 'someone else'").ExecuteNonQueryAsync(Ct));
        var delete = await Should.ThrowAsync<PostgresException>(async () =>
            await dataSource.CreateCommand("DELETE FROM incident_events").ExecuteNonQueryAsync(Ct));

        update.MessageText.ShouldContain("append-only");
        delete.MessageText.ShouldContain("append-only");
        await Store.AppendAuditAsync(IncidentSamples.Audited(), Ct);
        (await Should.ThrowAsync<PostgresException>(async () =>
            await dataSource.CreateCommand("UPDATE audit_log SET actor = 'x'").ExecuteNonQueryAsync(Ct))).MessageText.ShouldContain("append-only");
        (await Should.ThrowAsync<PostgresException>(async () =>
            await dataSource.CreateCommand("DELETE FROM audit_log").ExecuteNonQueryAsync(Ct))).MessageText.ShouldContain("append-only");
        foreach (var table in new[] { "audit_log", "incident_events", "alert_triage" })
        {
            (await Should.ThrowAsync<PostgresException>(async () =>
                await dataSource.CreateCommand($"TRUNCATE {table}").ExecuteNonQueryAsync(Ct))).MessageText.ShouldContain("append-only");
        }
    }

    private static async Task AdminAsync(string sql)
    {
        var admin = new NpgsqlConnectionStringBuilder(TestEnvironment.Postgres) { Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }
}

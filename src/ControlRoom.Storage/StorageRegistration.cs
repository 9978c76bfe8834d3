using ControlRoom.Storage.Embedded;
using ControlRoom.Storage.Postgres;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ControlRoom.Storage;

public static class StorageRegistration
{
    /// <summary>
    /// One <see cref="IIncidentStore"/> singleton (also the <see cref="IAccountStore"/>): PostgreSQL when <c>ConnectionStrings:Postgres</c> is
    /// set, else SQLite at <c>Storage:EmbeddedPath</c>. The schema is not touched here: add
    /// <see cref="AddStoreMigrator"/> in the process that should migrate at start.
    /// </summary>
    public static IServiceCollection AddIncidentStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);

        // Accounts live in the same store: one database to provision, back up and audit.
        services.AddSingleton(sp => (IAccountStore)sp.GetRequiredService<IIncidentStore>());

        var postgres = configuration.GetConnectionString("Postgres");
        if (string.IsNullOrWhiteSpace(postgres))
        {
            services.AddSingleton<IIncidentStore>(sp => new SqliteIncidentStore(
                ResolvePath(sp.GetRequiredService<IOptions<StorageOptions>>().Value.EmbeddedPath, sp.GetService<IHostEnvironment>()),
                sp.GetRequiredService<TimeProvider>()));
            return services;
        }

        // Parsed now so a malformed connection string fails at start, not at the first incident.
        _ = new NpgsqlConnectionStringBuilder(postgres);
        services.AddSingleton(_ => PostgresIncidentStore.CreateDataSource(postgres));
        services.AddSingleton<IIncidentStore>(sp => new PostgresIncidentStore(
            sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    /// <summary>Runs <see cref="IIncidentStore.MigrateAsync"/> when the host starts (safe in several processes at once).</summary>
    public static IServiceCollection AddStoreMigrator(this IServiceCollection services)
    {
        services.AddHostedService<StoreMigrator>();
        return services;
    }

    public static bool UsesPostgres(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration.GetConnectionString("Postgres"));

    private static string ResolvePath(string path, IHostEnvironment? environment) =>
        Path.IsPathRooted(path) || environment is null ? path : Path.Combine(environment.ContentRootPath, path);
}

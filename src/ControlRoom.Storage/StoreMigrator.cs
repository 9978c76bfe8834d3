using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ControlRoom.Storage;

/// <summary>
/// Brings the schema up to date before the host serves anything. If that fails the host does not
/// start: a control room on a half-migrated database is worse than one that says it is down.
/// </summary>
public sealed partial class StoreMigrator(IIncidentStore store, ILogger<StoreMigrator> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.MigrateAsync(cancellationToken);
        LogMigrated(store.GetType().Name);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Incident store schema is up to date ({Store})")]
    private partial void LogMigrated(string store);
}

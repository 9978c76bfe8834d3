using ControlRoom.Storage;

namespace ControlRoom.Web.Features.Systems;

/// <summary>
/// Keeps the systems' status history beyond the stream's retained window, so 30- and 90-day uptime survive a
/// restart: at start the board is seeded from the store (status changes, hourly latency), then the changes it sees
/// and each finished hour of latency are written every few seconds.
/// Several instances write the same changes; the store keeps each once.
/// </summary>
public sealed partial class SystemHistoryKeeper(SystemsBoard board, IIncidentStore store, TimeProvider clock, ILogger<SystemHistoryKeeper> log)
    : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(5);
    private readonly List<SystemStatusChange> _retry = [];
    private readonly List<SystemLatencyHour> _retryLatency = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!await TrySeedAsync(stoppingToken))
                await Task.Delay(Every, clock, stoppingToken); // the store may be starting too: the board works meanwhile
            using var timer = new PeriodicTimer(Every, clock);
            while (await timer.WaitForNextTickAsync(stoppingToken))
                await SaveAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await SaveAsync(CancellationToken.None); // what was seen last is not left behind at shutdown
        }
    }

    private async Task<bool> TrySeedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await SeedAsync(cancellationToken);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogSeedFailed(e);
            return false;
        }
    }

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        var since = clock.GetUtcNow() - Domain.Systems.StatusHistory.Windows[^1];
        board.Seed(await store.ListSystemStatusAsync(since, cancellationToken));
        board.SeedLatency(await store.ListSystemLatencyAsync(since, cancellationToken));
    }

    /// <summary>Writes what the board saw since the last write; on failure keeps it for the next round.</summary>
    public async Task SaveAsync(CancellationToken cancellationToken)
    {
        _retry.AddRange(board.TakeUnsaved());
        _retryLatency.AddRange(board.TakeFinishedLatency());
        if (_retry.Count == 0 && _retryLatency.Count == 0)
            return;
        try
        {
            await store.RecordSystemStatusAsync([.. _retry], cancellationToken);
            _retry.Clear();
            await store.RecordSystemLatencyAsync([.. _retryLatency], cancellationToken);
            _retryLatency.Clear();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(e, _retry.Count + _retryLatency.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Systems history: reading the kept history failed; retrying")]
    private partial void LogSeedFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Systems history: {Count} status changes and hours of latency could not be stored yet; retrying")]
    private partial void LogFailed(Exception exception, int count);
}

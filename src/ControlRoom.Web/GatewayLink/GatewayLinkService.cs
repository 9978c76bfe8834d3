using ControlRoom.Domain.Events;
using ControlRoom.Gateway.Hubs;
using ControlRoom.Web.Situation;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Options;

namespace ControlRoom.Web.GatewayLink;

/// <summary>
/// The ONE SignalR client connection of this web process. It subscribes with the last stream id the
/// situation store saw, so a reconnect replays exactly the gap, and keeps the store's connection state
/// truthful (connecting, live, reconnecting, stream down).
/// </summary>
public sealed partial class GatewayLinkService(
    SituationStore store,
    ControlRoom.Web.Features.Systems.SystemsBoard systems,
    GatewayLinkKey key,
    IOptions<GatewayLinkOptions> options,
    IServer server,
    IHostApplicationLifetime lifetime,
    TimeProvider clock,
    ILogger<GatewayLinkService> logger) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await WaitForServerStartedAsync(stoppingToken);
        var hubUrl = new Uri(GatewayBaseUrl(), EventsHub.Path.TrimStart('/'));
        await using var connection = new HubConnectionBuilder()
            .WithUrl(hubUrl, o => o.AccessTokenProvider = () => Task.FromResult<string?>(key.Value))
            .WithAutomaticReconnect(new RetryForever())
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new EventEnvelopeJsonConverter(clock)))
            .Build();

        connection.On<EventBatch>(nameof(IEventsClient.ReceiveEvents), batch =>
        {
            store.Apply(batch);
            systems.Apply(batch);
        });
        connection.On<bool, string?>(nameof(IEventsClient.StreamStatusChanged), (available, _) => store.SetStreamAvailable(available));
        connection.Reconnecting += _ =>
        {
            store.SetHubConnected(false);
            return Task.CompletedTask;
        };
        connection.Reconnected += async _ =>
        {
            try
            {
                await SubscribeAsync(connection, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Connected but not subscribed would be silent: drop the connection so the loop starts over.
                LogConnectFailed(hubUrl, ex);
                await connection.StopAsync(CancellationToken.None);
            }
        };
        TaskCompletionSource closed = new();
        connection.Closed += _ =>
        {
            store.SetHubConnected(false);
            closed.TrySetResult();
            return Task.CompletedTask;
        };

        LogConnecting(hubUrl);
        while (!stoppingToken.IsCancellationRequested)
        {
            closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            try
            {
                await connection.StartAsync(stoppingToken);
                await SubscribeAsync(connection, stoppingToken);
                await closed.Task.WaitAsync(stoppingToken); // automatic reconnect gave up, or a resubscribe failed
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogConnectFailed(hubUrl, ex);
                store.SetHubConnected(false);
                await connection.StopAsync(CancellationToken.None); // start over from a clean state
            }
            await Task.Delay(RetryDelay, clock, stoppingToken);
        }
    }

    /// <summary>Marks the link connected with the stream unknown, then resumes after the last id seen.</summary>
    private async Task SubscribeAsync(HubConnection connection, CancellationToken cancellationToken)
    {
        // Before the call: the gateway may report its stream status before the call returns.
        store.SetHubConnected(true);
        await connection.InvokeAsync(nameof(EventsHub.Subscribe), store.LastSeenStreamId, cancellationToken);
    }

    private async Task WaitForServerStartedAsync(CancellationToken cancellationToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(cancellationToken);
    }

    /// <summary>The configured gateway, or this process's own address when the gateway is embedded.</summary>
    private Uri GatewayBaseUrl()
    {
        if (!options.Value.IsEmbedded)
            return new Uri(options.Value.Url!.TrimEnd('/') + "/");
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses
            ?? throw new InvalidOperationException("The server does not report its addresses.");
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            ?? addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The server listens on no address.");
        // A wildcard binding is reached on loopback.
        address = address.Replace("://+", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://*", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal);
        return new Uri(address.TrimEnd('/') + "/");
    }

    private sealed class RetryForever : IRetryPolicy
    {
        private static readonly TimeSpan[] Delays = [TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5)];

        public TimeSpan? NextRetryDelay(RetryContext retryContext) =>
            Delays[(int)Math.Min(retryContext.PreviousRetryCount, Delays.Length - 1)];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connecting to the gateway hub at {Url}")]
    private partial void LogConnecting(Uri url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not connect to the gateway hub at {Url}; retrying")]
    private partial void LogConnectFailed(Uri url, Exception exception);
}

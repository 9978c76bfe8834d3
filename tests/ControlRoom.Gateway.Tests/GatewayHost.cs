using System.Collections.Concurrent;
using ControlRoom.Domain.Events;
using ControlRoom.EventStream;
using ControlRoom.Gateway.Hubs;
using ControlRoom.Tests;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ControlRoom.Gateway.Tests;

/// <summary>The gateway on real Kestrel (loopback, free port), on the in-memory stream or a real Redis.</summary>
public sealed class GatewayHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    /// <summary>The key the host's clients use unless a test says otherwise: both scopes, every type, confidential.</summary>
    public static readonly TestApiKey Key = TestApiKey.Create();

    /// <summary>A screen's key: subscribe only, up to operations.</summary>
    public static readonly TestApiKey ScreenKey = TestApiKey.Create("screen", scopes: "subscribe", maxVisibility: "operations");

    private GatewayHost(WebApplication app)
    {
        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address + "/");
        Http = Client(Key.Key);
    }

    /// <summary>An HTTP client presenting <paramref name="key"/> (none when null).</summary>
    public HttpClient Client(string? key)
    {
        var http = new HttpClient { BaseAddress = BaseAddress };
        if (key is not null)
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    /// <summary>Revokes a configured key, as an operator would by setting ApiKeys:NAME:Revoked and reloading the configuration.</summary>
    public void Revoke(string name)
    {
        var configuration = (IConfigurationRoot)_app.Configuration;
        configuration[$"ApiKeys:{name}:Revoked"] = "true";
        configuration.Reload();
    }

    public Uri BaseAddress { get; }
    public HttpClient Http { get; }
    public IEventStream Stream => _app.Services.GetRequiredService<IEventStream>();

    public static async Task<GatewayHost> StartAsync(string? redis, Dictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = redis,
            ["EventStream:Name"] = ControlRoom.Tests.TestEnvironment.UniqueStreamName(),
            ["Ingest:MaxRequestBytes"] = "65536",
            ["Ingest:MaxEventBytes"] = "4096",
            ["Ingest:MaxBatchSize"] = "50",
        });
        builder.Configuration.AddInMemoryCollection(Key.Settings.Concat(ScreenKey.Settings));
        if (settings is not null)
            builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddGateway(builder.Configuration);
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.MapGateway();
        await app.StartAsync();
        return new GatewayHost(app);
    }

    public async Task<HubClient> ConnectAsync(string? lastSeenId = null, string? key = null)
    {
        var client = new HubClient(new HubConnectionBuilder()
            .WithUrl(new Uri(BaseAddress, EventsHub.Path.TrimStart('/')), o => o.AccessTokenProvider = () => Task.FromResult<string?>(key ?? Key.Key))
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new EventEnvelopeJsonConverter()))
            .Build());
        await client.StartAsync(lastSeenId);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>A screen as the gateway sees it: records every event and stream status it is pushed.</summary>
public sealed class HubClient(HubConnection connection) : IAsyncDisposable
{
    public ConcurrentQueue<WireEvent> Received { get; } = new();
    public ConcurrentQueue<bool> StreamStatus { get; } = new();

    public async Task StartAsync(string? lastSeenId)
    {
        connection.On<EventBatch>(nameof(IEventsClient.ReceiveEvents), b => { foreach (var e in b.Events) Received.Enqueue(e); });
        connection.On<bool, string?>(nameof(IEventsClient.StreamStatusChanged), (ok, _) => StreamStatus.Enqueue(ok));
        await connection.StartAsync();
        await connection.InvokeAsync(nameof(EventsHub.Subscribe), lastSeenId);
    }

    public Task InvokeSubscribeAsync(string? lastSeenId) => connection.InvokeAsync(nameof(EventsHub.Subscribe), lastSeenId);

    public IReadOnlyList<string> ReceivedIds => Received.Select(e => e.Event.Id).ToList();

    /// <summary>Waits until <paramref name="condition"/> holds; fails with what was received if it does not within the limit.</summary>
    public async Task WaitUntilAsync(Func<HubClient, bool> condition, TimeSpan? limit = null)
    {
        var deadline = TimeProvider.System.GetTimestamp();
        while (!condition(this))
        {
            if (TimeProvider.System.GetElapsedTime(deadline) > (limit ?? TimeSpan.FromSeconds(10)))
                throw new TimeoutException($"Condition not met; received: [{string.Join(", ", ReceivedIds)}], status: [{string.Join(", ", StreamStatus)}]");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync() => await connection.DisposeAsync();
}

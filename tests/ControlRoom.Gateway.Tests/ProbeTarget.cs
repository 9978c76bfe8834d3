using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ControlRoom.Gateway.Tests;

/// <summary>A real HTTP endpoint on loopback for probes to check; what it answers can change while it runs, and it can be stopped.</summary>
public sealed class ProbeTarget : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ProbeTarget(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>How it answers now; 200 "servizio pronto" to begin with.</summary>
    public Func<HttpContext, Task> Answer { get; set; } = context => context.Response.WriteAsync("servizio pronto");

    private int _requests;

    /// <summary>Requests answered so far, this one included while answering.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public static async Task<ProbeTarget> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        ProbeTarget? target = null;
        app.Run(context =>
        {
            Interlocked.Increment(ref target!._requests);
            return target.Answer(context);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        target = new ProbeTarget(app, new Uri(address + "/health"));
        return target;
    }

    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    /// <summary>A loopback port nothing listens on (taken and given back at once).</summary>
    public static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

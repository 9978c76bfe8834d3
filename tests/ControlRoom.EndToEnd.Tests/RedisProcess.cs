using System.Diagnostics;
using System.Net.Sockets;

namespace ControlRoom.EndToEnd.Tests;

/// <summary>A Redis of the test's own, so the test may stop and restart it (the shared one must stay up).</summary>
public sealed class RedisProcess : IAsyncDisposable
{
    private readonly string _directory;
    private Process? _process;

    private RedisProcess(string directory, int port)
    {
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Fails fast while Redis is down, so the test sees the truth within seconds.</summary>
    public string ConnectionString => $"127.0.0.1:{Port},connectTimeout=1000,asyncTimeout=2000,syncTimeout=2000";

    public static async Task<RedisProcess> StartAsync()
    {
        var redis = new RedisProcess(Directory.CreateTempSubdirectory("controlroom-redis-").FullName, AppProcess.FreePort());
        await redis.StartAgainAsync();
        return redis;
    }

    public async Task StartAgainAsync()
    {
        _process = Process.Start(new ProcessStartInfo("redis-server",
            ["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes", "--dir", _directory])
        {
            RedirectStandardOutput = true,
        }) ?? throw new InvalidOperationException("redis-server did not start (scripts/services.sh installs it).");
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        throw new TimeoutException($"redis-server did not listen on {Port}.");
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_directory, recursive: true);
    }
}

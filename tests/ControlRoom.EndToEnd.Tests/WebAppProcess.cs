using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ControlRoom.Tests;

namespace ControlRoom.EndToEnd.Tests;

/// <summary>
/// The web app as operators run it: a real process from its build output, embedded gateway, listening
/// on a free loopback port. The simulator is off so each test controls exactly what is on the stream.
/// </summary>
public sealed class WebAppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private WebAppProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress };
    }

    public Uri BaseAddress { get; }
    public HttpClient Http { get; }
    public string Output { get { lock (_output) return _output.ToString(); } }

    public static async Task<WebAppProcess> StartAsync(IDictionary<string, string>? settings = null)
    {
        var project = Path.Combine(TestEnvironment.RepositoryRoot, "src", "ControlRoom.Web");
        // Same configuration as these tests were built in (bin/<Configuration>/net10.0).
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var dll = Path.Combine(project, "bin", configuration, "net10.0", "ControlRoom.Web.dll");
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}"])
        {
            WorkingDirectory = project, // content root, as with dotnet run
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Simulator__Enabled"] = "false";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            start.Environment[key] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the web app.");
        var app = new WebAppProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => app.Append(e.Data);
        process.ErrorDataReceived += (_, e) => app.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await app.WaitUntilReadyAsync();
        return app;
    }

    private void Append(string? line)
    {
        if (line is not null)
            lock (_output) _output.AppendLine(line);
    }

    private async Task WaitUntilReadyAsync()
    {
        var started = Stopwatch.StartNew();
        while (started.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"The web app exited ({_process.ExitCode}):\n{Output}");
            try
            {
                using var response = await Http.GetAsync("health/ready");
                if (response.IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The web app was not ready within 60 s:\n{Output}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}

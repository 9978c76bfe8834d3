using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ControlRoom.Tests;

namespace ControlRoom.EndToEnd.Tests;

/// <summary>
/// One of our services as it runs for real: a process started from its build output, listening on a
/// loopback port. The web app defaults to the embedded gateway with the simulator off, so each test
/// controls exactly what is on the stream.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private string? _ownStore;

    private AppProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        Http = new HttpClient { BaseAddress = BaseAddress };
        Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", IngestKey.Key);
    }

    /// <summary>The key <see cref="Http"/> posts events with (accepted by every gateway these tests start, embedded or not).</summary>
    public static readonly TestApiKey IngestKey = TestApiKey.Create("e2e", scopes: "ingest", separator: "__");

    /// <summary>The web app's key at a separate gateway (Gateway__Key), which every gateway started here accepts.</summary>
    public static readonly TestApiKey WebLinkKey = TestApiKey.Create("web", scopes: "ingest,subscribe", separator: "__");

    public int Port { get; }
    public Uri BaseAddress { get; }
    public HttpClient Http { get; }
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>
    /// A demo account as this process printed it at its first start (the only place its password, or the wall
    /// screen's device token, is ever
    /// shown). A restart on the same store prints nothing: keep the credentials from the first start.
    /// </summary>
    public Credentials Demo(string user = "operatore")
    {
        var line = System.Text.RegularExpressions.Regex.Match(Output, $@"^\s+{System.Text.RegularExpressions.Regex.Escape(user)}\s+(\S+)\s+[a-z-]+\r?$", System.Text.RegularExpressions.RegexOptions.Multiline);
        return line.Success ? new Credentials(user, line.Groups[1].Value) : throw new InvalidOperationException($"No demo password for '{user}' was printed:\n{Output}");
    }

    /// <summary>The web app without its simulator; on a store of its own (removed afterwards) unless <paramref name="settings"/> name one.</summary>
    public static async Task<AppProcess> StartWebAsync(IDictionary<string, string>? settings = null, int port = 0)
    {
        var all = new Dictionary<string, string>(settings ?? new Dictionary<string, string>()) { ["Simulator__Enabled"] = "false" };
        string? ownStore = null;
        if (!all.ContainsKey("Storage__EmbeddedPath"))
            all["Storage__EmbeddedPath"] = ownStore = Path.Combine(Path.GetTempPath(), $"controlroom-e2e-{Guid.NewGuid():N}.db");
        var app = await StartAsync("ControlRoom.Web", all, port);
        app._ownStore = ownStore;
        return app;
    }

    /// <param name="port">A fixed port, to restart a service where its clients expect it; 0 picks a free one.</param>
    public static async Task<AppProcess> StartAsync(string project, IDictionary<string, string> settings, int port = 0)
    {
        port = port == 0 ? FreePort() : port;
        var start = StartInfo(project, settings, "--urls", $"http://127.0.0.1:{port}");
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {project}.");
        var app = new AppProcess(process, port);
        process.OutputDataReceived += (_, e) => app.Append(e.Data);
        process.ErrorDataReceived += (_, e) => app.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await app.WaitUntilLiveAsync(project);
        return app;
    }

    /// <summary>Runs the built project as a command (e.g. "verify-audit") to its end: its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunToEndAsync(string project, IDictionary<string, string> settings, params string[] args)
    {
        var start = StartInfo(project, settings, args);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {project}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await output + await errors);
    }

    private static ProcessStartInfo StartInfo(string project, IDictionary<string, string> settings, params string[] args)
    {
        var directory = Path.Combine(TestEnvironment.RepositoryRoot, "src", project);
        // Same configuration as these tests were built in (bin/<Configuration>/net10.0).
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var dll = Path.Combine(directory, "bin", configuration, "net10.0", project + ".dll");
        var start = new ProcessStartInfo("dotnet", [dll, .. args])
        {
            WorkingDirectory = directory, // content root, as with dotnet run
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        foreach (var (key, value) in IngestKey.Settings.Concat(WebLinkKey.Settings))
            start.Environment[key] = value;
        foreach (var (key, value) in settings)
            start.Environment[key] = value;
        return start;
    }

    private void Append(string? line)
    {
        if (line is not null)
            lock (_output) _output.AppendLine(line);
    }

    private async Task WaitUntilLiveAsync(string project)
    {
        var started = Stopwatch.StartNew();
        while (started.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"{project} exited ({_process.ExitCode}):\n{Output}");
            try
            {
                using var response = await Http.GetAsync("health/live");
                if (response.IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{project} was not up within 60 s:\n{Output}");
    }

    public static int FreePort()
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
        if (_ownStore is not null)
        {
            foreach (var file in Directory.GetFiles(Path.GetDirectoryName(_ownStore)!, Path.GetFileName(_ownStore) + "*"))
                File.Delete(file);
        }
    }
}

/// <summary>A user name and password to sign in with.</summary>
/// <summary>A person's user name and password, or a wall screen's name and device token.</summary>
public sealed record Credentials(string User, string Password)
{
    public bool IsDeviceToken => Password.StartsWith("crd_", StringComparison.Ordinal);
}

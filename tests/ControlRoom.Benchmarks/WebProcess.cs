using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace ControlRoom.Benchmarks;

/// <summary>
/// The web app (gateway embedded, Redis stream, simulator off) as a child process, run from its build
/// output in Development so its static web assets resolve. Killed (by its own id) on dispose.
/// </summary>
internal sealed class WebProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WebProcess(Process process) => _process = process;

    /// <summary>Where Kestrel listens: it picks a free port itself, so no other process can take it first.</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The key the load generator posts and probes with (both scopes, every level), accepted by the web app's gateway.</summary>
    public static readonly string Key = ControlRoom.Gateway.Access.ApiKeys.New("bench");

    /// <summary>An HTTP client that presents <see cref="Key"/>.</summary>
    public static HttpClient Client(Uri baseAddress, TimeSpan? timeout = null)
    {
        var http = new HttpClient { BaseAddress = baseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(100) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Key);
        return http;
    }

    /// <summary>The wall-screen demo account's password, as printed at first start: screens sign in with it.</summary>
    public string? WallScreenToken { get; private set; }

    private string _store = "";

    public static async Task<WebProcess> StartAsync(string dll, string redis, string streamName, int maxLength)
    {
        var store = Path.Combine(Path.GetTempPath(), $"controlroom-bench-{Guid.NewGuid():N}.db"); // fresh: demo accounts printed
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!, // its appsettings.json is found from the content root
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        var env = start.Environment;
        env["ASPNETCORE_ENVIRONMENT"] = "Development";
        env["ConnectionStrings__Redis"] = redis;
        env["EventStream__Name"] = streamName;
        env["EventStream__MaxLength"] = maxLength.ToString(System.Globalization.CultureInfo.InvariantCulture);
        env["Simulator__Enabled"] = "false";
        env["ApiKeys__bench__Hash"] = ControlRoom.Gateway.Access.ApiKeys.HashOf(Key);
        env["ApiKeys__bench__Scopes__0"] = "ingest";
        env["ApiKeys__bench__Scopes__1"] = "subscribe";
        env["ApiKeys__bench__Types__0"] = "it.milano.nco.";
        env["ApiKeys__bench__MaxVisibility"] = "confidential";
        env["ApiKeys__bench__PermitsPerMinute"] = "1000000";
        env["Storage__EmbeddedPath"] = store;
        env["Ingest__MaxBatchSize"] = "1000";
        env["Ingest__MaxRequestBytes"] = "8388608";
        env["Logging__LogLevel__Default"] = "Warning";
        env["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information"; // "Now listening on: ..."

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var web = new WebProcess(process) { _store = store };
        process.OutputDataReceived += (_, e) => web.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => web.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await web.WaitReadyAsync(TimeSpan.FromSeconds(60));
        }
        catch
        {
            await web.DisposeAsync();
            throw;
        }
        return web;
    }

    /// <summary>Whether the web process is still running, for failure messages.</summary>
    public string State => _process.HasExited ? $"exited with code {_process.ExitCode}" : "still running";

    /// <summary>The last lines the web process printed, for failure messages.</summary>
    public string OutputTail => string.Join(Environment.NewLine, _output);

    private void Keep(string? line)
    {
        if (line is null)
            return;
        if (System.Text.RegularExpressions.Regex.Match(line, @"^\s+schermo\s+(crd_\S+)\s") is { Success: true } wall)
            WallScreenToken = wall.Groups[1].Value;
        const string listening = "Now listening on: ";
        var at = line.IndexOf(listening, StringComparison.Ordinal);
        if (at >= 0)
            _listening.TrySetResult(new Uri(line[(at + listening.Length)..].Trim().TrimEnd('/') + "/"));
        _output.Enqueue(line);
        while (_output.Count > 60 && _output.TryDequeue(out _))
        {
        }
    }

    /// <summary>Until /health/ready answers 200 (the process is up and its Redis stream answers).</summary>
    private async Task WaitReadyAsync(TimeSpan timeout)
    {
        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(_listening.Task, exited).WaitAsync(timeout);
        if (first != _listening.Task)
            throw new InvalidOperationException($"The web app exited with code {_process.ExitCode}:{Environment.NewLine}{OutputTail}");
        BaseAddress = await _listening.Task;
        using var http = Client(BaseAddress, TimeSpan.FromSeconds(5));
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"The web app exited with code {_process.ExitCode}:{Environment.NewLine}{OutputTail}");
            try
            {
                using var response = await http.GetAsync(new Uri("health/ready", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Slow to answer while starting.
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"The web app was not ready within {timeout.TotalSeconds:0} s:{Environment.NewLine}{OutputTail}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(_store)!, Path.GetFileName(_store) + "*"))
            File.Delete(file);
    }
}

using System.Net;
using System.Text;
using Microsoft.Playwright;

namespace ControlRoom.EndToEnd.Tests;

/// <summary>
/// Tests that start the embedded app on an embedded store of their own and drive it with Chromium;
/// the store's files are removed afterwards.
/// </summary>
public abstract class EmbeddedAppTests : IAsyncLifetime
{
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"controlroom-e2e-{Guid.NewGuid():N}.db");
    private IPlaywright _playwright = null!;

    protected IBrowser Browser { get; private set; } = null!;

    protected static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    /// <summary>The app's settings: this test's embedded store (the same file across a restart).</summary>
    protected Dictionary<string, string> Settings => new() { ["Storage__EmbeddedPath"] = _database };

    public async ValueTask InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        Browser = await BrowserFixture.LaunchAsync(_playwright);
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(_database)!, Path.GetFileName(_database) + "*"))
            File.Delete(file);
        GC.SuppressFinalize(this);
    }

    /// <summary>Posts one alert (a CloudEvent) as a producer would; it must be accepted.</summary>
    protected static async Task PostAlertAsync(AppProcess app, string id, string title, string kind = "river-level",
        string severity = "extreme", string? subject = null, double lon = 9.1922, double lat = 45.5258, string visibility = "operations", string? caller = null)
    {
        var json = "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/e2e\",\"type\":\"it.milano.nco.sensor.alert.raised\","
            + (subject is null ? "" : "\"subject\":\"" + subject + "\",")
            + "\"visibility\":\"" + visibility + "\"," + (caller is null ? "" : "\"personaldata\":\"caller\",")
            + "\"severity\":\"" + severity + "\",\"data\":{\"title\":\"" + title + "\",\"kind\":\"" + kind + "\","
            + (caller is null ? "" : "\"caller\":\"" + caller + "\",")
            + "\"location\":{\"type\":\"Point\",\"coordinates\":[" + lon.ToString(System.Globalization.CultureInfo.InvariantCulture) + ","
            + lat.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]}}}";
        using var response = await app.Http.PostAsync("api/events", new StringContent(json, Encoding.UTF8, "application/cloudevents+json"), Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
    }
}

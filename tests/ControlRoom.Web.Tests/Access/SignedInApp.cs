using System.Net;
using System.Text.RegularExpressions;
using ControlRoom.Domain.Access;
using ControlRoom.Domain.Audit;
using ControlRoom.Storage;
using ControlRoom.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ControlRoom.Web.Tests.Access;

/// <summary>
/// The whole web app on Kestrel (embedded store of its own, no simulator) with one account per role,
/// signed in through the real sign-in form: the cookie, antiforgery and policies are the deployed ones.
/// </summary>
public sealed partial class SignedInApp : IAsyncDisposable
{
    public const string Password = "Password-di-prova-1";

    /// <summary>The wall screen's device token (the wall screen has no password).</summary>
    public const string WallScreenToken = "crd_wall-screen_abcdefghijkmnpqrstuvwxyz23456789";

    private readonly string _database = Path.Combine(Path.GetTempPath(), $"controlroom-access-{Guid.NewGuid():N}.db");
    private WebApplication _app = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public IServiceProvider Services => _app.Services;

    public static async Task<SignedInApp> StartAsync(IDictionary<string, string?>? settings = null, string environment = "Development")
    {
        var host = new SignedInApp();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            // Production marks the cookie Secure, which plain-HTTP test clients never send back.
            EnvironmentName = environment,
            ContentRootPath = Path.Combine(ControlRoom.Tests.TestEnvironment.RepositoryRoot, "src", "ControlRoom.Web"),
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:EmbeddedPath"] = host._database,
            ["Simulator:Enabled"] = "false",
            ["Accounts:SeedDemoUsers"] = "false",
        });
        if (settings is not null)
            builder.Configuration.AddInMemoryCollection(settings);
        builder.AddControlRoomWeb();
        host._app = builder.Build();
        host._app.UseControlRoomWeb();

        var store = host._app.Services.GetRequiredService<IIncidentStore>();
        await store.MigrateAsync();
        var hasher = host._app.Services.GetRequiredService<IPasswordHasher<Account>>();
        await ((IAccountStore)store).SeedAccountsAsync(
            [.. Enum.GetValues<Role>().Select(r => new Account(r.ToCode(), r.ToString(), r, null, hasher.HashPassword(null!, r == Role.WallScreen ? WallScreenToken : Password), Account.NewStamp(), 0, null))],
            new AuditEntry(DateTimeOffset.UtcNow, "test", "accounts.seeded", "test", "{}", "127.0.0.1"));
        await host._app.StartAsync();
        host.BaseAddress = new Uri(host._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        return host;
    }

    /// <summary>A client with a cookie jar that does not follow redirects (so tests see them), as a browser asks for pages.</summary>
    public HttpClient Client(bool browser = true)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = BaseAddress };
        if (browser)
            client.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        return client;
    }

    /// <summary>Signs in through the form (GET for its antiforgery token, then POST); returns the response to the post.</summary>
    public static async Task<HttpResponseMessage> PostSignInAsync(HttpClient client, string user, string password, CancellationToken ct)
    {
        var token = await AntiforgeryTokenAsync(client, "account/signin", ct);
        return await client.PostAsync("account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin",
            ["__RequestVerificationToken"] = token,
            ["Input.UserName"] = user,
            ["Input.Password"] = password,
        }), ct);
    }

    /// <summary>A wall screen's sign-in through the device form.</summary>
    public static async Task<HttpResponseMessage> PostDeviceSignInAsync(HttpClient client, string token, CancellationToken ct)
    {
        var antiforgery = await AntiforgeryTokenAsync(client, "account/device", ct);
        return await client.PostAsync("account/device", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "device-signin",
            ["__RequestVerificationToken"] = antiforgery,
            ["Input.Token"] = token,
        }), ct);
    }

    public async Task<HttpClient> SignedInAsync(Role role, CancellationToken ct, bool browser = true)
    {
        var client = Client(browser);
        using var response = role == Role.WallScreen
            ? await PostDeviceSignInAsync(client, WallScreenToken, ct)
            : await PostSignInAsync(client, role.ToCode(), Password, ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync(ct));
        return client;
    }

    public static async Task<string> AntiforgeryTokenAsync(HttpClient client, string page, CancellationToken ct)
    {
        var html = await client.GetStringAsync(page, ct);
        return TokenField().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : throw new InvalidOperationException("No antiforgery token on " + page);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(_database) + "*"))
            File.Delete(file);
    }

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}

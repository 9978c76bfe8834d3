using System.Reflection;
using ControlRoom.Web.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Configuration;

namespace ControlRoom.Web.Tests;

/// <summary>
/// Every endpoint (pages, APIs, hubs, files) and every hub method states who may use it: a policy or an
/// explicit "anyone". A new one without a declaration fails here, before it can be reached by accident.
/// </summary>
public sealed class AuthorizationCoverageTests
{
    /// <summary>The endpoints of the web app as deployed (Production: no development-only file fallback).</summary>
    private static IReadOnlyList<RouteEndpoint> Endpoints()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = Path.Combine(ControlRoom.Tests.TestEnvironment.RepositoryRoot, "src", "ControlRoom.Web") });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:EmbeddedPath"] = Path.Combine(Path.GetTempPath(), $"controlroom-authz-{Guid.NewGuid():N}.db"),
            ["Simulator:Enabled"] = "false",
        });
        builder.AddControlRoomWeb();
        var app = builder.Build();
        app.UseControlRoomWeb();
        return [.. ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()];
    }

    private static bool Declares(RouteEndpoint endpoint) =>
        endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null || endpoint.Metadata.GetMetadata<IAuthorizeData>() is not null
        // MapStaticAssets adds this file fallback outside its own builder, so .AllowAnonymous() there misses it.
        // It serves files, public like the assets; it is matched exactly so nothing else can hide behind it.
        || (endpoint.RoutePattern.RawText == "{**path:file}" && endpoint.DisplayName == "Fallback {**path:file}");

    [Fact]
    public void EveryEndpoint_DeclaresWhoMayUseIt()
    {
        var endpoints = Endpoints();

        endpoints.Count.ShouldBeGreaterThan(10);
        endpoints.Select(e => e.RoutePattern.RawText).ShouldContain("/audit");
        endpoints.Select(e => e.RoutePattern.RawText).ShouldContain("/api/events");
        endpoints.Where(e => !Declares(e)).Select(e => e.DisplayName ?? e.RoutePattern.RawText).ShouldBeEmpty();
    }

    [Fact]
    public void EveryHubMethod_DeclaresWhoMayCallIt()
    {
        var hubs = typeof(Gateway.Hubs.EventsHub).Assembly.GetTypes().Concat(typeof(WebRegistration).Assembly.GetTypes())
            .Where(t => !t.IsAbstract && typeof(Hub).IsAssignableFrom(t)).ToList();
        hubs.ShouldNotBeEmpty();

        var undeclared =
            from hub in hubs
            from method in hub.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            where !method.IsSpecialName && method.DeclaringType != typeof(object)
            let declared = method.GetCustomAttributes<AuthorizeAttribute>().Any() || method.GetCustomAttributes<AllowAnonymousAttribute>().Any()
                || hub.GetCustomAttributes<AuthorizeAttribute>().Any() || hub.GetCustomAttributes<AllowAnonymousAttribute>().Any()
            where !declared
            select $"{hub.Name}.{method.Name}";
        undeclared.ShouldBeEmpty();
    }
}

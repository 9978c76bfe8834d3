using System.Globalization;
using ControlRoom.Domain.Geography;
using ControlRoom.Domain.Incidents.Kpis;
using ControlRoom.Gateway;
using ControlRoom.Gateway.Access;
using ControlRoom.Simulator;
using ControlRoom.Simulator.Sinks;
using ControlRoom.Storage;
using ControlRoom.Web.Features.Access;
using ControlRoom.Web.Features.Audit;
using ControlRoom.Web.Features.Incidents;
using ControlRoom.Web.Features.Operations;
using ControlRoom.Web.GatewayLink;
using ControlRoom.Web.Situation;
using ControlRoom.Gateway.Systems;
using ControlRoom.Web.Features.Systems;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

namespace ControlRoom.Web.Hosting;

public static class WebRegistration
{
    public static readonly CultureInfo[] Cultures = [new("it-IT"), new("en-GB")];

    public static WebApplicationBuilder AddControlRoomWeb(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddRazorComponents().AddInteractiveServerComponents();
        // Messages at the bottom of the map: at the top right they would cover the side panel's tabs.
        services.AddMudServices(c => c.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomLeft);
        services.AddLocalization();
        services.TryAddSingleton(TimeProvider.System);

        services.AddOptions<SituationOptions>().Bind(configuration.GetSection(SituationOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<GatewayLinkOptions>().Bind(configuration.GetSection(GatewayLinkOptions.Section));
        services.AddSingleton(sp => LoadZones(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<SituationStore>();
        services.AddSystemCatalogue(configuration);
        services.AddSingleton<SystemsBoard>();
        services.AddHostedService<GatewayLinkService>();

        var link = configuration.GetSection(GatewayLinkOptions.Section).Get<GatewayLinkOptions>() ?? new GatewayLinkOptions();
        var embedded = link.IsEmbedded;
        if (embedded)
        {
            services.AddGateway(configuration);
            services.AddSingleton(sp => GatewayLinkKey.IssuedBy(sp.GetRequiredService<ApiKeys>()));
        }
        else
        {
            if (string.IsNullOrWhiteSpace(link.Key))
                throw new InvalidOperationException("Gateway:Url is set but Gateway:Key is not: the web app needs an API key for the gateway (see 'new-api-key').");
            services.AddSingleton(new GatewayLinkKey(link.Key));
            services.AddHealthChecks();
        }

        // Incidents: the system of record (PostgreSQL or embedded SQLite), migrated and seeded at start,
        // with the outbox relay publishing every committed change to the stream.
        services.AddIncidentStore(configuration);
        services.AddStoreMigrator();
        services.AddHostedService<UnitRosterSeeder>();
        services.AddHostedService<SituationSeeder>();
        services.AddSingleton<OutboxRelay>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxRelay>());
        services.AddSingleton<IncidentCommands>();
        services.AddHostedService<OutageIncidents>();
        services.AddHostedService<SystemHistoryKeeper>();
        services.AddSingleton<UnitCommands>();
        services.AddSingleton<AlertTriageCommands>();
        services.AddSingleton<IncidentViewers>();
        services.AddOptions<KpiOptions>().Bind(configuration.GetSection(KpiOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<KpiOptions>, KpiOptions.Validator>();
        services.AddSingleton(sp => new KpiCalculator(sp.GetRequiredService<IOptions<KpiOptions>>().Value.Build()));
        services.AddSingleton<KpiReport>();
        services.AddSingleton<StreetGazetteer>();
        services.AddControlRoomAccess(configuration);

        services.AddSimulator(configuration);
        if (embedded)
            services.AddSingleton<IEventSink, InProcessIngestSink>();
        else
            services.AddHttpClient<IEventSink, HttpEventSink>(c =>
            {
                c.BaseAddress = new Uri(link.Url!.TrimEnd('/') + "/");
                c.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", link.Key);
            });
        return builder;
    }

    public static WebApplication UseControlRoomWeb(this WebApplication app)
    {
        app.UseTrustedProxies(); // first: everything after sees the client's own address
        app.UseSecurityHeaders(app.Configuration);
        app.UseRequestLocalization(o =>
        {
            o.SetDefaultCulture(Cultures[0].Name);
            o.SupportedCultures = Cultures;
            o.SupportedUICultures = Cultures;
        });

        // The Municipi and NIL boundaries for the map's offline base, straight from seed-data.
        var seedGeo = Path.Combine(SeedDataFolder.Resolve(app.Configuration[SeedDataFolder.Setting]), "geo");
        var geoJson = new FileExtensionContentTypeProvider();
        geoJson.Mappings[".geojson"] = "application/geo+json";
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(seedGeo),
            RequestPath = "/seed/geo",
            ContentTypeProvider = geoJson,
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter(); // sign-in attempts per address; embedded, also the gateway's ingest budget per key
        var embedded = app.Services.GetRequiredService<IOptions<GatewayLinkOptions>>().Value.IsEmbedded;
        app.UseAntiforgery();
        // Scripts, styles and the map bundle: public by nature (a sign-in page needs them too).
        app.MapStaticAssets().AllowAnonymous();

        if (embedded)
            app.MapGateway();
        else
            app.MapHealthChecks("/health/live").AllowAnonymous();

        app.MapCultureSwitch();
        app.MapAuditExport();
        app.MapSituationEndpoints();
        app.MapAccountEndpoints();
        // The framework's own "frame-ancestors 'self'" header would be a second policy: ours (SecurityHeaders)
        // already says 'none' on every response.
        app.MapRazorComponents<Components.App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null)
            // Pages declare who may see them ([Authorize(Policy)] or [AllowAnonymous] on each); the circuit's own
            // endpoints (the Blazor hub, redirections) carry no data of their own: the circuit has the session
            // of the page that opened it, re-checked every minute (SessionRevalidation).
            .Add(endpoint =>
            {
                if (!endpoint.Metadata.OfType<ComponentTypeMetadata>().Any())
                    endpoint.Metadata.Add(new AllowAnonymousAttribute());
            });
        return app;
    }

    private static ZoneIndex LoadZones(IConfiguration configuration)
    {
        var geo = Path.Combine(SeedDataFolder.Resolve(configuration[SeedDataFolder.Setting]), "geo");
        return ZoneIndex.FromGeoJson(
            File.ReadAllText(Path.Combine(geo, "municipi.geojson")),
            File.ReadAllText(Path.Combine(geo, "nil.geojson")));
    }
}

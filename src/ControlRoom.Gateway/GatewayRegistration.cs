using ControlRoom.Domain.Events;
using ControlRoom.EventStream;
using ControlRoom.Gateway.Access;
using ControlRoom.Gateway.Health;
using ControlRoom.Gateway.Hubs;
using ControlRoom.Gateway.Ingest;
using ControlRoom.Gateway.Systems;

namespace ControlRoom.Gateway;

/// <summary>The gateway as a set of services and endpoints, hosted alone (Program) or inside the web app.</summary>
public static class GatewayRegistration
{
    public static IServiceCollection AddGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddEventStream(configuration);
        services.AddGatewayAccess(configuration);
        services.AddOptions<IngestOptions>()
            .Bind(configuration.GetSection(IngestOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<HubOptions>()
            .Bind(configuration.GetSection(HubOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<EventIngestor>();
        services.AddSystemsHealth(configuration);
        services.AddSingleton<SubscriptionPumps>();
        services.AddSignalR(o => o.MaximumReceiveMessageSize = 32 * 1024)
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new EventEnvelopeJsonConverter()));
        services.AddProblemDetails();
        services.AddHealthChecks()
            .AddCheck<EventStreamHealthCheck>("stream", tags: [HealthEndpoints.StreamTag], timeout: TimeSpan.FromSeconds(3));
        return services;
    }

    public static IEndpointRouteBuilder MapGateway(this IEndpointRouteBuilder routes)
    {
        routes.MapHub<EventsHub>(EventsHub.Path, o => o.CloseOnAuthenticationExpiration = true); // re-checks keys (HubOptions.KeyRecheck)
        routes.MapIngest();
        routes.MapAlertmanager();
        routes.MapHeartbeats();
        routes.MapGatewayHealth();
        return routes;
    }
}

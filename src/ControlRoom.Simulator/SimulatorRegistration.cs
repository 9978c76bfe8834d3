using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ControlRoom.Simulator;

public static class SimulatorRegistration
{
    /// <summary>
    /// The simulator as a hosted service; the caller registers the <see cref="Sinks.IEventSink"/> and, for
    /// patrols that drive to the incidents they are sent to, an <see cref="EventStream.IEventStream"/>.
    /// </summary>
    public static IServiceCollection AddSimulator(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SimulatorOptions>()
            .Bind(configuration.GetSection(SimulatorOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<Dispatch.DispatchOrders>();
        services.AddHostedService<Dispatch.DispatchListener>();
        services.AddHostedService<SimulatorService>();
        return services;
    }
}

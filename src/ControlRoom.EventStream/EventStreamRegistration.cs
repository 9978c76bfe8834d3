using ControlRoom.EventStream.InMemory;
using ControlRoom.EventStream.Redis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StackExchange.Redis;

namespace ControlRoom.EventStream;

public static class EventStreamRegistration
{
    /// <summary>
    /// Redis Streams when <c>ConnectionStrings:Redis</c> is set, otherwise the in-memory stream
    /// (the embedded default). Either way, one <see cref="IEventStream"/> singleton.
    /// </summary>
    public static IServiceCollection AddEventStream(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EventStreamOptions>()
            .Bind(configuration.GetSection(EventStreamOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);

        var redis = configuration.GetConnectionString("Redis");
        if (string.IsNullOrWhiteSpace(redis))
        {
            services.AddSingleton<IEventStream, InMemoryEventStream>();
            return services;
        }

        services.AddSingleton<IConnectionMultiplexer>(_ =>
        {
            var options = ConfigurationOptions.Parse(redis);
            options.AbortOnConnectFail = false; // start even if Redis is down; health and the UI say so
            return ConnectionMultiplexer.Connect(options);
        });
        services.AddSingleton<IEventStream, RedisEventStream>();
        return services;
    }

    public static bool UsesRedis(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration.GetConnectionString("Redis"));
}

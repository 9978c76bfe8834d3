using ControlRoom.Domain.Systems;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ControlRoom.Gateway.Systems;

public static class SystemsRegistration
{
    /// <summary>The catalogue (the seed built into the binaries, or Systems:CataloguePath), its probes, heartbeats and maintenance windows, checked at start.</summary>
    public static IServiceCollection AddSystemsHealth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSystemCatalogue(configuration);
        services.AddOptions<SystemsOptions>()
            .Bind(configuration.GetSection(SystemsOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SystemsOptions>, CatalogueValidation>();
        services.AddHttpClient(ProbeCheck.HttpClientName, http =>
            {
                http.DefaultRequestHeaders.UserAgent.ParseAdd("ControlRoom-probe/1");
                http.Timeout = Timeout.InfiniteTimeSpan; // each check has its own Timeout
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { UseCookies = false, PooledConnectionLifetime = TimeSpan.FromMinutes(1) });
        services.AddSingleton<ProbeCheck>();
        services.AddHostedService<ProbeRunner>();
        services.AddHostedService<HeartbeatMonitor>();
        return services;
    }

    /// <summary>The seed catalogue built into the binaries, or a deployment's own (Systems:CataloguePath): the web app needs it with or without a gateway inside.</summary>
    public static IServiceCollection AddSystemCatalogue(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(_ => configuration[$"{SystemsOptions.Section}:{nameof(SystemsOptions.CataloguePath)}"] is { Length: > 0 } path
            ? SystemCatalogue.Load(path) : SystemCatalogue.Seed());
        return services;
    }

    private sealed class CatalogueValidation(SystemCatalogue catalogue) : IValidateOptions<SystemsOptions>
    {
        public ValidateOptionsResult Validate(string? name, SystemsOptions options) =>
            options.Problems(catalogue).ToList() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}

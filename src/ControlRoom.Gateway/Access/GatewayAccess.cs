using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.RateLimiting;

namespace ControlRoom.Gateway.Access;

/// <summary>The gateway's policies: API keys scoped to ingest or subscribe, and a request budget per key.</summary>
public static class GatewayAccess
{
    public const string IngestPolicy = "gateway-ingest";
    public const string SubscribePolicy = "gateway-subscribe";
    public const string IngestRateLimit = "gateway-ingest-per-key";

    public static IServiceCollection AddGatewayAccess(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<Dictionary<string, ApiKeyOptions>>().Bind(configuration.GetSection(ApiKeys.Section));
        services.AddSingleton<ApiKeys>();
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(IngestPolicy, p => p.AddAuthenticationSchemes(ApiKeyAuthentication.SchemeName).RequireClaim(ApiKeyAuthentication.ScopeClaim, ApiKeyGrant.Ingest))
            .AddPolicy(SubscribePolicy, p => p.AddAuthenticationSchemes(ApiKeyAuthentication.SchemeName).RequireClaim(ApiKeyAuthentication.ScopeClaim, ApiKeyGrant.Subscribe));
        services.AddRateLimiter(o =>
        {
            o.AddPolicy(IngestRateLimit, context => ApiKeyAuthentication.GrantOf(context) is { } grant
                ? RateLimitPartition.GetFixedWindowLimiter(grant.Name, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = grant.PermitsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                })
                : RateLimitPartition.GetNoLimiter("")); // no key: authorization has already refused it
            o.OnRejected = async (rejected, cancellationToken) =>
            {
                var response = rejected.HttpContext.Response;
                var retry = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
                response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await Results.Problem($"This key sent more requests than it may per minute; retry after {Math.Ceiling(retry.TotalSeconds)} s.",
                    statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests").ExecuteAsync(rejected.HttpContext);
            };
        });
        return services;
    }
}

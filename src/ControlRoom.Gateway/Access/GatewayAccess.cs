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
            o.OnRejected = TooManyRequestsAsync;
        });
        return services;
    }

    /// <summary>429 with Retry-After and a problem+json saying why: the answer of every rate limit in the application.</summary>
    public static async ValueTask TooManyRequestsAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var retry = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
        var seconds = (int)Math.Ceiling(retry.TotalSeconds);
        rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Results.Problem($"More requests than allowed per minute from this sender; retry after {seconds} s.",
            statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests").ExecuteAsync(rejected.HttpContext);
    }
}

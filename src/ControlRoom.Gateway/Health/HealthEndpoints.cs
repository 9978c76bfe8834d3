using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ControlRoom.Gateway.Health;

public static class HealthEndpoints
{
    public const string StreamTag = "stream";

    /// <summary>/health/live: the process answers. /health/ready: and its stream answers.</summary>
    public static IEndpointRouteBuilder MapGatewayHealth(this IEndpointRouteBuilder routes)
    {
        // Probes come from orchestrators and load balancers, which carry no user identity.
        routes.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .AllowAnonymous();
        routes.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(StreamTag), ResponseWriter = WriteAsync })
            .AllowAnonymous();
        return routes;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        });
    }
}

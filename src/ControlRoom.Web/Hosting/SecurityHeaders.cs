namespace ControlRoom.Web.Hosting;

/// <summary>
/// Response headers that make the browser enforce what the app expects: a Content-Security-Policy the
/// map (MapLibre, its worker and WebGL) and MudBlazor work under, no framing, no sniffing, no referrer,
/// no device APIs. The policy is tested with Chromium (a violation is a console error the tests catch).
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// script-src 'self': Blazor and the bundled map need no inline script or eval. style-src 'unsafe-inline':
    /// MudBlazor and MapLibre set style attributes (styles cannot run code). worker-src blob: MapLibre may
    /// spawn helpers from blobs. An online base map adds its style's origin and any in Map:ContentOrigins
    /// (space-separated, e.g. its tile and font servers) to connect-src and img-src.
    /// </summary>
    public static string Policy(IConfiguration configuration)
    {
        var origins = (configuration["Map:ContentOrigins"] ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (Uri.TryCreate(configuration["Map:StyleUrl"], UriKind.Absolute, out var style))
            origins.Insert(0, style.GetLeftPart(UriPartial.Authority));
        var mapOrigin = string.Concat(origins.Distinct().Select(o => " " + o));
        return "default-src 'self'; " +
            "script-src 'self'; " +
            "style-src 'self' 'unsafe-inline'; " +
            $"img-src 'self' data: blob:{mapOrigin}; " +
            "font-src 'self' data:; " +
            $"connect-src 'self'{mapOrigin}; " +
            "worker-src 'self' blob:; " +
            "child-src 'self' blob:; " +
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
    }

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app, IConfiguration configuration)
    {
        var policy = Policy(configuration);
        return app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = policy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            return next(context);
        });
    }
}

using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace ControlRoom.Web.Hosting;

/// <summary>
/// Behind a reverse proxy, the client's address (audit trail, sign-in budget) and scheme come from
/// X-Forwarded-For/-Proto, but only from the proxies named in <c>Hosting:TrustedProxies</c>; with none
/// named the headers are ignored (anyone could send them).
/// </summary>
public static class TrustedProxies
{
    public const string Section = "Hosting:TrustedProxies";

    public static void UseTrustedProxies(this WebApplication app)
    {
        var proxies = app.Configuration.GetSection(Section).Get<string[]>() ?? [];
        if (proxies.Length == 0)
            return;
        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto, ForwardLimit = 1 };
        options.KnownProxies.Clear(); // the defaults trust loopback: only what is configured
        options.KnownIPNetworks.Clear();
        foreach (var proxy in proxies)
            options.KnownProxies.Add(IPAddress.TryParse(proxy, out var address) ? address
                : throw new InvalidOperationException($"{Section}: '{proxy}' is not an IP address."));
        app.UseForwardedHeaders(options);
    }
}

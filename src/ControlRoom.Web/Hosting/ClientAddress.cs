namespace ControlRoom.Web.Hosting;

/// <summary>
/// The client's address as the audit trail records it: IPv4 clients on a dual-stack listener shown as
/// IPv4, not "::ffff:…". Behind a reverse proxy named in <see cref="TrustedProxies"/>, the address it forwarded.
/// </summary>
public static class ClientAddress
{
    public static string Of(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } ip
            ? (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString()
            : "unknown";
}

using ControlRoom.Domain.Events;
using ControlRoom.Gateway.Access;

namespace ControlRoom.Web.GatewayLink;

/// <summary>The API key this web app presents to the gateway's hub (and, with a separate gateway, its ingest).</summary>
public sealed record GatewayLinkKey(string Value)
{
    /// <summary>Embedded: a key issued to this process by its own gateway, valid while it runs, never written anywhere.</summary>
    public static GatewayLinkKey IssuedBy(ApiKeys keys) =>
        new(keys.Issue("web-link", new HashSet<string> { ApiKeyGrant.Subscribe }, Visibility.Confidential));
}

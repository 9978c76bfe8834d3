namespace ControlRoom.Web.GatewayLink;

public sealed class GatewayLinkOptions
{
    public const string Section = "Gateway";

    /// <summary>
    /// The gateway's base URL. Empty means embedded: the gateway is mapped into this process and the
    /// link connects to this process's own address.
    /// </summary>
    public string? Url { get; set; }

    /// <summary>
    /// With a separate gateway: this web app's API key there (scopes subscribe and ingest, ceiling
    /// confidential: it serves every role and filters per screen). A secret: environment or user secrets only.
    /// Embedded, the process issues itself a key for its lifetime instead.
    /// </summary>
    public string? Key { get; set; }

    public bool IsEmbedded => string.IsNullOrWhiteSpace(Url);
}

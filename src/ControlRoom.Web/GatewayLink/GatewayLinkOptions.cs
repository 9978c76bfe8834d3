namespace ControlRoom.Web.GatewayLink;

public sealed class GatewayLinkOptions
{
    public const string Section = "Gateway";

    /// <summary>
    /// The gateway's base URL. Empty means embedded: the gateway is mapped into this process and the
    /// link connects to this process's own address.
    /// </summary>
    public string? Url { get; set; }

    public bool IsEmbedded => string.IsNullOrWhiteSpace(Url);
}

using System.Text;
using ControlRoom.Domain.Incidents;

namespace ControlRoom.Web.Features.Incidents;

/// <summary>
/// What the outbox may hold: every message must pass the ingest edge it is published through, or it
/// would be refused there after the decision was saved. Checked before the commit, so an oversized
/// decision is refused to the operator instead.
/// </summary>
public static class OutboxLimits
{
    /// <summary>Below the gateway's default 64 KiB per event (Ingest:MaxEventBytes), with room for the envelope batch.</summary>
    public const int MaxMessageBytes = 60 * 1024;

    public static Refusal? Refuse(params (string Type, string Payload)[] messages) =>
        messages.Any(m => Encoding.UTF8.GetByteCount(m.Payload) > MaxMessageBytes)
            ? new Refusal("too-large", $"The change names too much to publish (over {MaxMessageBytes / 1024} KiB); choose fewer alerts.")
            : null;
}

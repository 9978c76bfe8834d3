using ControlRoom.Domain.Audit;

namespace ControlRoom.Web.Features.Incidents;

/// <summary>
/// Who is acting, per circuit, and from where (the client's address, handed over by the page's first
/// request). Until sign-in lands (issue 4) each browser session is a numbered workstation, so the
/// timeline, the audit trail and the "also looking" list still tell operators apart.
/// </summary>
public sealed class OperatorIdentity
{
    private static int _next;

    public string Name { get; } = $"Postazione {Interlocked.Increment(ref _next)}";

    public string Origin { get; set; } = "unknown";

    public Actor Actor => new(Name, Origin);
}

namespace ControlRoom.Web.Features.Incidents;

/// <summary>
/// Who is acting, per circuit. Until sign-in lands (issue 4) each browser session is a numbered
/// workstation, so the timeline and the "also looking" list still tell operators apart.
/// </summary>
public sealed class OperatorIdentity
{
    private static int _next;

    public string Name { get; } = $"Postazione {Interlocked.Increment(ref _next)}";
}

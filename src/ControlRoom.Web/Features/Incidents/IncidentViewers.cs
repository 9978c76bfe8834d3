using System.Collections.Immutable;

namespace ControlRoom.Web.Features.Incidents;

/// <summary>
/// Which operators have an incident open right now, so each sees who else is looking before acting.
/// Kept per web process: with several web instances behind a balancer it shows the operators on this
/// instance only (a stream-based presence would cover all; noted for later).
/// </summary>
public sealed class IncidentViewers
{
    private readonly Lock _gate = new();
    private ImmutableDictionary<string, ImmutableHashSet<string>> _viewers = ImmutableDictionary<string, ImmutableHashSet<string>>.Empty;

    public event Action<string>? Changed;

    public IReadOnlyCollection<string> Of(string incident) =>
        _viewers.TryGetValue(incident, out var names) ? names : [];

    public IDisposable Watch(string incident, string operatorName)
    {
        lock (_gate)
            _viewers = _viewers.SetItem(incident, Of(incident).ToImmutableHashSet().Add(operatorName));
        Changed?.Invoke(incident);
        return new Leave(() =>
        {
            lock (_gate)
                _viewers = _viewers.SetItem(incident, Of(incident).ToImmutableHashSet().Remove(operatorName));
            Changed?.Invoke(incident);
        });
    }

    private sealed class Leave(Action leave) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
                leave();
        }
    }
}

using System.Threading.Channels;

namespace ControlRoom.Web.Situation;

/// <summary>
/// A circuit's view of the store (only what its role may see): the snapshot at subscription time and every change after it. If the
/// circuit falls so far behind that its channel fills, it is told to resynchronise from a new snapshot
/// rather than silently missing changes.
/// </summary>
public sealed class SituationSubscription : IDisposable
{
    private readonly Channel<SituationChange> _changes;
    private readonly Action<SituationSubscription> _unsubscribe;
    private readonly SituationView _view;
    private int _needsResync;

    internal SituationSubscription(SituationSnapshot snapshot, SituationView view, int capacity, Action<SituationSubscription> unsubscribe)
    {
        Snapshot = snapshot;
        _view = view;
        _unsubscribe = unsubscribe;
        _changes = Channel.CreateBounded<SituationChange>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite fails instead of dropping: we then resync
        });
    }

    public SituationSnapshot Snapshot { get; }

    public ChannelReader<SituationChange> Changes => _changes.Reader;

    internal void Publish(SituationChange change)
    {
        if (_view.Of(change) is not { } visible)
            return;
        if (!_changes.Writer.TryWrite(visible))
            Interlocked.Exchange(ref _needsResync, 1);
    }

    /// <summary>True once after the channel overflowed: take <see cref="SituationStore.Snapshot"/> again.</summary>
    public bool TakeResync() => Interlocked.Exchange(ref _needsResync, 0) == 1;

    public void Dispose()
    {
        _unsubscribe(this);
        _changes.Writer.TryComplete();
    }
}

using Microsoft.AspNetCore.Components;

namespace ControlRoom.Web.Features.Systems;

/// <summary>
/// A component showing the systems board live: it takes a new snapshot and renders after the board changed, at most
/// about twice a second (health arrives in many small batches; a screen needs the latest, not each one).
/// </summary>
public abstract class BoardComponent : ComponentBase, IDisposable
{
    [Inject] public required SystemsBoard Board { get; init; }

    private static readonly TimeSpan Coalesce = TimeSpan.FromMilliseconds(400);
    private int _pending;

    protected BoardSnapshot Snapshot { get; private set; } = BoardSnapshot.Empty;

    protected override void OnInitialized()
    {
        Snapshot = Board.Snapshot();
        Board.Changed += OnBoardChanged;
    }

    /// <summary>Called on the renderer's thread after the board changed, before rendering.</summary>
    protected virtual void OnSnapshot()
    {
    }

    private void OnBoardChanged()
    {
        if (Interlocked.Exchange(ref _pending, 1) == 1)
            return; // a render is already coming, and it will take the newest snapshot
        _ = InvokeAsync(async () =>
        {
            await Task.Delay(Coalesce);
            Volatile.Write(ref _pending, 0);
            Snapshot = Board.Snapshot();
            OnSnapshot();
            StateHasChanged();
        });
    }

    public void Dispose()
    {
        Board.Changed -= OnBoardChanged;
        GC.SuppressFinalize(this);
    }
}

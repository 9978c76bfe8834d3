using Microsoft.AspNetCore.Components;

namespace ControlRoom.Web.Features.Systems;

/// <summary>A component showing the systems board live: it takes a new snapshot and renders whenever a batch changed the board.</summary>
public abstract class BoardComponent : ComponentBase, IDisposable
{
    [Inject] public required SystemsBoard Board { get; init; }

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

    private void OnBoardChanged() => _ = InvokeAsync(() =>
    {
        Snapshot = Board.Snapshot();
        OnSnapshot();
        StateHasChanged();
    });

    public void Dispose()
    {
        Board.Changed -= OnBoardChanged;
        GC.SuppressFinalize(this);
    }
}

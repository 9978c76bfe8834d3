using System.Globalization;
using ControlRoom.Domain.Incidents;
using ControlRoom.Domain.Units;
using ControlRoom.Storage;
using ControlRoom.Web.Features.Access;
using ControlRoom.Web.Localization;
using ControlRoom.Web.Situation;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace ControlRoom.Web.Features.Incidents;

/// <summary>
/// The detail panel. Every command carries the version this operator is looking at: if someone else
/// changed the incident meanwhile, the command is refused with who did what, and nothing is overwritten.
/// </summary>
public sealed partial class IncidentDetail : IDisposable
{
    [Inject] public required IncidentCommands Commands { get; init; }
    [Inject] public required IIncidentStore Store { get; init; }
    [Inject] public required OperatorIdentity Operator { get; init; }
    [Inject] public required IncidentViewers Viewers { get; init; }
    [Inject] public required IDialogService Dialogs { get; init; }
    [Inject] public required TimeProvider Clock { get; init; }

    [Parameter, EditorRequired] public string IncidentId { get; set; } = "";

    /// <summary>The version the live board knows: when it moves on, the panel reloads.</summary>
    private bool CanCoordinate => Operator.May(Permission.CoordinateIncidents);

    private bool CanDispatch => Operator.May(Permission.DispatchUnits);

    [Parameter] public int LiveVersion { get; set; }

    /// <summary>Live unit positions from the stream (the store knows only bases).</summary>
    [Parameter] public IReadOnlyDictionary<string, UnitView> LiveUnits { get; set; } = new Dictionary<string, UnitView>();

    [Parameter] public EventCallback OnClose { get; set; }

    private Incident? _incident;
    private IReadOnlyList<RecommendedUnit> _recommended = [];
    private IReadOnlyCollection<string> _viewers = [];
    private Refusal? _problem;
    private IDisposable? _watch;
    private string? _watching;

    private DateTimeOffset Now => Clock.GetUtcNow();

    protected override async Task OnParametersSetAsync()
    {
        if (_watching != IncidentId)
        {
            _watch?.Dispose();
            Viewers.Changed -= OnViewersChanged;
            _watching = IncidentId;
            _watch = Viewers.Watch(IncidentId, Operator.Name);
            Viewers.Changed += OnViewersChanged;
            _problem = null;
            await ReloadAsync();
        }
        else if (_incident is not null && LiveVersion > _incident.Version)
        {
            await ReloadAsync();
        }
        _viewers = [.. Viewers.Of(IncidentId).Where(n => n != Operator.Name)];
    }

    private async Task ReloadAsync()
    {
        if (!Domain.Incidents.IncidentId.TryParse(IncidentId, out var id))
            return;
        _incident = await Commands.LoadAsync(id, Operator.Current, CancellationToken.None);
        if (_incident is not null)
        {
            var units = (await Store.ListUnitsAsync()).Select(u => LiveUnits.TryGetValue(u.Id.Value, out var live)
                ? u with { Position = Domain.Geography.Milan.Point(live.Lon, live.Lat) }
                : u);
            _recommended = UnitRecommendation.Closest(_incident.Location, units);
        }
    }

    /// <summary>The operator has read the refusal and wants the current state: only then does the message go.</summary>
    private async Task DismissAndReloadAsync()
    {
        _problem = null;
        await ReloadAsync();
    }

    private void OnViewersChanged(string incident)
    {
        if (incident == IncidentId)
            _ = InvokeAsync(() =>
            {
                _viewers = [.. Viewers.Of(IncidentId).Where(n => n != Operator.Name)];
                StateHasChanged();
            });
    }

    /// <summary>Shortcut A: acknowledge, when the incident is new.</summary>
    public Task AcknowledgeAsync() =>
        _incident?.Status == IncidentStatus.New ? RunAsync(Seen, (id, v) => Commands.AcknowledgeAsync(id, v, Operator.Current, default)) : Task.CompletedTask;

    /// <summary>Shortcut D: dispatch the first recommended unit, when dispatching is possible.</summary>
    public Task DispatchRecommendedAsync() =>
        _recommended.Count > 0 && _incident?.Status is IncidentStatus.New or IncidentStatus.Acknowledged or IncidentStatus.Dispatched or IncidentStatus.OnScene
            ? DispatchAsync(_recommended[0].Unit.Id)
            : Task.CompletedTask;

    private Task ResolveAsync() => RunAsync(Seen, (id, v) => Commands.ResolveAsync(id, v, Operator.Current, default));

    private Task DispatchAsync(UnitId unit) => RunAsync(Seen, (id, v) => Commands.DispatchAsync(id, v, unit, Operator.Current, default));

    private Task ArriveAsync(UnitId unit) => RunAsync(Seen, (id, v) => Commands.ArriveAsync(id, v, unit, Operator.Current, default));

    private Task ReleaseAsync(UnitId unit) => RunAsync(Seen, (id, v) => Commands.ReleaseAsync(id, v, unit, Operator.Current, default));

    // Commands that ask for text first carry the version seen when the operator started: whatever
    // changed while they typed is something they have not seen, so it must come back as a conflict.
    private async Task CloseAsync()
    {
        var seen = Seen;
        if (await PromptAsync(Loc[nameof(Strings.Outcome)]) is { } outcome)
            await RunAsync(seen, (id, v) => Commands.CloseAsync(id, v, outcome, Operator.Current, default));
    }

    private async Task CancelAsync()
    {
        var seen = Seen;
        if (await PromptAsync(Loc[nameof(Strings.Reason)]) is { } reason)
            await RunAsync(seen, (id, v) => Commands.CancelAsync(id, v, reason, Operator.Current, default));
    }

    private async Task UnfoundedAsync()
    {
        var seen = Seen;
        if (await PromptAsync(Loc[nameof(Strings.Reason)]) is { } reason)
            await RunAsync(seen, (id, v) => Commands.MarkUnfoundedAsync(id, v, reason, Operator.Current, default));
    }

    private async Task AddNoteAsync()
    {
        var seen = Seen;
        if (await PromptAsync(Loc[nameof(Strings.Note)]) is { } note)
            await RunAsync(seen, (id, v) => Commands.AddNoteAsync(id, v, note, Operator.Current, default));
    }

    private int Seen => _incident?.Version ?? 0;

    private async Task<string?> PromptAsync(string label)
    {
        var dialog = await Dialogs.ShowAsync<TextPromptDialog>(label, new DialogParameters<TextPromptDialog> { { d => d.Label, label } });
        var result = await dialog.Result;
        return result is { Canceled: false, Data: string text } ? text : null;
    }

    /// <summary>Runs a command at the version the operator saw; a refusal stays visible until they reload.</summary>
    private async Task RunAsync(int seenVersion, Func<Domain.Incidents.IncidentId, int, Task<CommandOutcome>> command)
    {
        if (_incident is null)
            return;
        var outcome = await command(_incident.Id, seenVersion);
        _problem = outcome.Refusal;
        if (outcome.Succeeded)
            await ReloadAsync();
    }

    private static string Detail(IncidentEvent e) => e switch
    {
        UnitDispatched d => $": {d.Unit}",
        UnitArrived a => $": {a.Unit}",
        UnitReleased r => $": {r.Unit}",
        PriorityChanged p => $": {p.Priority}",
        NoteAdded n => $": {n.Text}",
        IncidentClosed c => $": {c.Outcome}",
        IncidentCancelled c => $": {c.Reason}",
        IncidentUnfounded u => $": {u.Reason}",
        _ => "",
    };

    private static string FormatDistance(double metres) =>
        metres < 1000 ? $"{metres:0} m" : (metres / 1000).ToString("0.0", CultureInfo.CurrentCulture) + " km";

    public void Dispose()
    {
        Viewers.Changed -= OnViewersChanged;
        _watch?.Dispose();
    }
}

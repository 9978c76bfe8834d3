using System.Collections.Immutable;
using ControlRoom.Domain.Alerts;
using ControlRoom.Domain.Geography;
using ControlRoom.Domain.Incidents;
using ControlRoom.Web.Features.Access;
using ControlRoom.Web.Features.Incidents;
using ControlRoom.Web.Localization;
using ControlRoom.Web.Situation;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;
using MudBlazor;

namespace ControlRoom.Web.Features.Operations;

/// <summary>
/// The operations page: map and feed from the situation store. Changes are drained in batches
/// (≈100 ms) and rendered once per batch, never once per event.
/// </summary>
public sealed partial class OperationsPage
{
    [Inject] public required SituationStore Store { get; init; }
    [Inject] public required IOptions<SituationOptions> Options { get; init; }
    [Inject] public required TimeProvider Clock { get; init; }
    [Inject] public required IncidentCommands Commands { get; init; }
    [Inject] public required AlertTriageCommands Triage { get; init; }
    [Inject] public required OperatorIdentity Operator { get; init; }
    [Inject] public required IDialogService Dialogs { get; init; }
    [Inject] public required ISnackbar Snackbar { get; init; }
    [Inject] public required IJSRuntime JS { get; init; }
    [Inject] public required ZoneIndex Zones { get; init; }

    private static readonly string[] ShortcutKeys = ["n", "a", "d", "escape"];
    private readonly CancellationTokenSource _stop = new();
    private SituationSubscription? _subscription;
    private ImmutableList<AlertView> _alerts = [];
    private ImmutableList<AlertView> _handled = [];
    private ImmutableDictionary<string, IncidentSnapshot> _incidents = ImmutableDictionary<string, IncidentSnapshot>.Empty;
    private ImmutableDictionary<string, UnitView> _units = ImmutableDictionary<string, UnitView>.Empty;
    private AlertMap? _map;
    private IncidentDetail? _detail;
    private IJSObjectReference? _shortcuts;
    private DotNetObjectReference<OperationsPage>? _self;
    private bool _interactive;
    private string? _selected;
    private int _tab;
    private SituationView _view = SituationView.None;

    private int OpenIncidents => _incidents.Values.Count(i => !i.Status.IsFinal());

    protected override void OnInitialized()
    {
        // What this role may see, fixed for the circuit: a role change ends the session (new stamp).
        _view = SituationView.For(Operator.Current.Role);
        _subscription = Store.Subscribe(_view);
        Take(_subscription.Snapshot);
    }

    private Task ShowImpactAsync(IReadOnlyList<ControlRoom.Domain.Systems.ImpactArea> areas) => _map?.SetImpactAsync(areas) ?? Task.CompletedTask;

    private void Take(SituationSnapshot snapshot)
    {
        _alerts = snapshot.Alerts;
        _handled = snapshot.Handled;
        _incidents = snapshot.Incidents;
        _units = snapshot.Units;
    }

    /// <summary>From an inbox row to an incident: confirm the details, then select the new incident. Every alert of the row is linked.</summary>
    private async Task OpenIncidentAsync(AlertGroup group) =>
        await OpenFromDialogAsync(await Dialogs.ShowAsync<OpenIncidentDialog>(Loc[nameof(Strings.OpenIncident)],
            new DialogParameters<OpenIncidentDialog> { { d => d.Alert, group.Lead }, { d => d.AlertKeys, group.Keys }, { d => d.Visibility, group.Members.Max(m => m.Visibility) } }));

    private async Task AcknowledgeAsync((AlertGroup Group, AlertDisposition Disposition) request)
    {
        var (triage, refusal) = await Triage.AcknowledgeAsync(request.Group.Keys, request.Disposition, Operator.Current, CancellationToken.None);
        Confirm(triage, refusal, Loc[nameof(Strings.TriageAcknowledged), request.Group.Count, Loc[$"AlertDisposition_{request.Disposition}"]]);
    }

    private async Task ShelveAsync((AlertGroup Group, TimeSpan Period) request)
    {
        var (triage, refusal) = await Triage.ShelveAsync(request.Group.Keys, request.Period, Operator.Current, CancellationToken.None);
        Confirm(triage, refusal, triage is null ? "" : Loc[nameof(Strings.TriageShelved), request.Group.Count, RomeTime.Compact(triage.ShelvedUntil!.Value, Clock.GetUtcNow())]);
    }

    private async Task ReopenAsync(AlertView alert)
    {
        var (triage, refusal) = await Triage.ReopenAsync([alert.Key], Operator.Current, CancellationToken.None);
        Confirm(triage, refusal, Loc[nameof(Strings.TriageReopened)], undo: false);
    }

    /// <summary>Says what happened, with an undo (reopen) where it is cheap; a refusal is said as it is.</summary>
    private void Confirm(AlertTriage? triage, Refusal? refusal, string message, bool undo = true)
    {
        if (triage is null)
        {
            Snackbar.Add(Loc.Refusal(refusal!), MudBlazor.Severity.Error);
            return;
        }
        Snackbar.Add(message, MudBlazor.Severity.Normal, options =>
        {
            if (!undo)
                return;
            options.Action = Loc[nameof(Strings.Undo)];
            options.OnClick = async _ =>
            {
                var (_, failed) = await Triage.ReopenAsync(triage.AlertKeys, Operator.Current, CancellationToken.None);
                if (failed is not null)
                    Snackbar.Add(Loc.Refusal(failed), MudBlazor.Severity.Error);
            };
        });
    }

    /// <summary>An incident by hand: a citizen's call, a patrol's report.</summary>
    private async Task NewIncidentAsync() =>
        await OpenFromDialogAsync(await Dialogs.ShowAsync<NewIncidentDialog>(Loc[nameof(Strings.NewIncident)]));

    /// <summary>An incident at a place picked on the map; outside the city it is refused at once.</summary>
    private async Task NewIncidentHereAsync((double Lon, double Lat) place)
    {
        if (Operator.Current.Refuse(Permission.CoordinateIncidents) is { } notPermitted)
        {
            Snackbar.Add(Loc.Refusal(notPermitted), MudBlazor.Severity.Info);
            return;
        }
        var zone = Zones.Resolve(Milan.Point(place.Lon, place.Lat));
        if (zone.Municipio is null)
        {
            Snackbar.Add(Loc[nameof(Strings.PickOutsideMilan)], MudBlazor.Severity.Warning);
            return;
        }
        await OpenFromDialogAsync(await Dialogs.ShowAsync<NewIncidentDialog>(Loc[nameof(Strings.NewIncident)],
            new DialogParameters<NewIncidentDialog> { { d => d.Place, place }, { d => d.PlaceZone, zone } }));
    }

    private async Task OpenFromDialogAsync(IDialogReference dialog)
    {
        if (await dialog.Result is not { Canceled: false, Data: OpenIncident command })
            return;
        var outcome = await Commands.OpenAsync(command, Operator.Current, CancellationToken.None);
        if (!outcome.Succeeded)
        {
            Snackbar.Add(Loc.Refusal(outcome.Refusal!), MudBlazor.Severity.Error);
            return;
        }
        _tab = 1;
        await SelectAsync(outcome.Incident.ToString());
    }

    /// <summary>N: new incident from the newest alert; A / D: acknowledge / dispatch on the open incident; Esc: close it.</summary>
    [JSInvokable]
    public async Task Shortcut(string key)
    {
        switch (key)
        {
            case "n" when _alerts.Count > 0:
                await OpenIncidentAsync(AlertGroup.Group(_alerts, Options.Value.DuplicateWindow)[0]);
                break;
            case "a" when _detail is not null:
                await _detail.AcknowledgeAsync();
                break;
            case "d" when _detail is not null:
                await _detail.DispatchRecommendedAsync();
                break;
            case "escape":
                await SelectAsync(null);
                break;
        }
        StateHasChanged();
    }

    /// <summary>Selects an incident (board, map or a new one) and highlights it on the map.</summary>
    private async Task SelectAsync(string? id)
    {
        var previous = _selected;
        _selected = id;
        var affected = new[] { previous, id }.Where(i => i is not null && _incidents.ContainsKey(i)).Select(i => _incidents[i!]);
        if (_map is not null)
            await _map.UpsertIncidentsAsync(affected, _selected);
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender || _subscription is null)
            return;
        await _map!.InitializeAsync(_subscription.Snapshot.Alerts);
        await _map.UpsertIncidentsAsync(_subscription.Snapshot.Incidents.Values, _selected);
        await _map.UpsertUnitsAsync(_subscription.Snapshot.Units.Values);
        _self = DotNetObjectReference.Create(this);
        var module = await JS.InvokeAsync<IJSObjectReference>("import", "./js/shortcuts.js");
        _shortcuts = await module.InvokeAsync<IJSObjectReference>("listenShortcuts", _self, ShortcutKeys);
        _interactive = true; // tests wait for this: clicks before it land on the static prerender
        StateHasChanged();
        _ = DrainAsync(_subscription, _stop.Token);
    }

    private async Task DrainAsync(SituationSubscription subscription, CancellationToken cancellationToken)
    {
        try
        {
            var reader = subscription.Changes;
            while (await reader.WaitToReadAsync(cancellationToken))
            {
                await Task.Delay(Options.Value.RenderBatchWindow, Clock, cancellationToken);
                // In order: an alert evicted after it was added in the same batch must not reach the map.
                var upserts = new Dictionary<string, AlertView>(StringComparer.Ordinal);
                var removals = new HashSet<string>(StringComparer.Ordinal);
                var incidents = new Dictionary<string, IncidentSnapshot>(StringComparer.Ordinal);
                var units = new Dictionary<string, UnitView>(StringComparer.Ordinal);
                while (reader.TryRead(out var change))
                {
                    if (change is IncidentsChanged ic)
                        ic.Incidents.ToList().ForEach(i => incidents[i.Id] = i);
                    if (change is UnitsChanged uc)
                        uc.Units.ToList().ForEach(u => units[u.Id] = u);
                    if (change is not AlertsChanged alerts)
                        continue;
                    foreach (var key in alerts.Evicted.Select(a => a.Key))
                    {
                        upserts.Remove(key);
                        removals.Add(key);
                    }
                    foreach (var alert in alerts.Added)
                    {
                        removals.Remove(alert.Key);
                        upserts[alert.Key] = alert;
                    }
                }
                var added = upserts.Values.ToList();
                var evicted = removals.ToList();
                Take(Store.Snapshot(_view));
                // The feed first: the map update waits on a browser round trip, the feed must not.
                await InvokeAsync(StateHasChanged);
                if (subscription.TakeResync())
                {
                    await _map!.ResetAsync(_alerts);
                    await _map.UpsertIncidentsAsync(_incidents.Values, _selected);
                    await _map.UpsertUnitsAsync(_units.Values);
                    continue;
                }
                if (added.Count > 0 || evicted.Count > 0)
                    await _map!.ApplyAsync(added, evicted);
                if (incidents.Count > 0)
                    await _map!.UpsertIncidentsAsync(incidents.Values, _selected);
                if (units.Count > 0)
                    await _map!.UpsertUnitsAsync(units.Values);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The circuit is gone.
        }
        catch (Exception ex)
        {
            await DispatchExceptionAsync(ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _subscription?.Dispose();
        try
        {
            if (_shortcuts is not null)
                await _shortcuts.InvokeVoidAsync("dispose");
        }
        catch (JSDisconnectedException)
        {
            // The browser is gone with its listener.
        }
        _self?.Dispose();
    }
}

using System.Globalization;
using Bunit;
using Bunit.TestDoubles;
using ControlRoom.Domain.Access;
using ControlRoom.Domain.Geography;
using ControlRoom.Domain.Incidents;
using ControlRoom.Domain.Units;
using ControlRoom.Storage;
using ControlRoom.Web.Features.Access;
using ControlRoom.Web.Features.Incidents;
using ControlRoom.Web.Features.Operations;
using ControlRoom.Web.Situation;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

using static ControlRoom.Web.Tests.IncidentTestServices;

namespace ControlRoom.Web.Tests.Incidents;

/// <summary>The board and the detail panel, rendered with the real command path on an embedded store.</summary>
public sealed class IncidentComponentTests : IAsyncDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 13, 0, 0, TimeSpan.Zero);
    private static readonly Unit Patrol = new(new UnitId("PL-M9-A01"), UnitKind.PatrolCar, "Comando 9", Milan.Point(9.19, 45.52), UnitStatus.Available);
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"controlroom-bunit-{Guid.NewGuid():N}.db");
    private readonly BunitContext _ctx = new();
    private readonly BunitAuthorizationContext _signedIn;

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public IncidentComponentTests()
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("it-IT");
        _ctx.Services.AddMudServices();
        _ctx.Services.AddLocalization();
        _ctx.Services.AddSingleton(TimeProvider.System);
        _ctx.Services.AddRealIncidentServices(_database, TimeProvider.System, new ZoneIndex([], []));
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _signedIn = _ctx.AddAuthorization();
        _signedIn.SetAuthorized("op.rossi");
        _signedIn.SetRoles(Role.PoliceOperator.ToCode());
    }

    private static IncidentSnapshot Snapshot(string id, Priority priority, IncidentStatus status, int minutesAgo) =>
        new(id, "flooding", priority, status, 9.19, 45.46, 1, "DUOMO", $"Intervento {id}", 1, T0.AddMinutes(-minutesAgo), T0, [], [], "IncidentOpened", "op");

    private async Task<(IncidentCommands Commands, CommandOutcome Opened)> OpenAsync()
    {
        var store = _ctx.Services.GetRequiredService<IIncidentStore>();
        await store.MigrateAsync(Ct);
        await store.SeedUnitsAsync([Patrol], Ct);
        var commands = _ctx.Services.GetRequiredService<IncidentCommands>();
        var opened = await commands.OpenAsync(new OpenIncident("flooding", null, IncidentSource.SensorAlert, 9.1922, 45.5258, "Allagamento via Valfurva", null), Op("op.rossi"), Ct);
        opened.Succeeded.ShouldBeTrue();
        return (commands, opened);
    }

    [Fact]
    public async Task Board_ListsOpenIncidentsByPriorityThenAge_AndHidesClosedUntilAsked()
    {
        await _ctx.Services.GetRequiredService<IIncidentStore>().MigrateAsync(Ct);
        var incidents = new[]
        {
            Snapshot("p3-old", Priority.P3, IncidentStatus.New, 30),
            Snapshot("p1-new", Priority.P1, IncidentStatus.Dispatched, 1),
            Snapshot("p1-old", Priority.P1, IncidentStatus.New, 10),
            Snapshot("closed", Priority.P1, IncidentStatus.Closed, 60),
        };
        string? selected = null;

        var board = _ctx.Render<IncidentBoard>(p => p
            .Add(b => b.Incidents, incidents)
            .Add(b => b.OnSelect, id => selected = id));

        board.FindAll("li.cr-incident").Select(li => li.GetAttribute("data-incident-id")).ShouldBe(["p1-old", "p1-new", "p3-old"]);
        board.Find("li[data-incident-id='p1-new'] .cr-incident-status").TextContent.ShouldBe("Unità inviate");
        board.Find("li[data-incident-id='p1-old'] button").Click();
        selected.ShouldBe("p1-old");

        board.Find(".mud-switch input").Change(true);
        board.FindAll("li.cr-incident").Select(li => li.GetAttribute("data-incident-id")).ShouldBe(["p1-old", "p1-new", "p3-old", "closed"]);
    }

    [Fact]
    public async Task Board_FiltersByTypePriorityAndMunicipio_AndSortsByNewestOrLastChange()
    {
        await _ctx.Services.GetRequiredService<IIncidentStore>().MigrateAsync(Ct);
        var incidents = new[]
        {
            Snapshot("flood-m1", Priority.P1, IncidentStatus.New, 30),
            Snapshot("flood-m9", Priority.P2, IncidentStatus.New, 5) with { Municipio = 9, UpdatedAt = T0.AddMinutes(-4) },
            Snapshot("crash-m9", Priority.P2, IncidentStatus.Dispatched, 10) with { Type = "road-accident", Municipio = 9, UpdatedAt = T0.AddMinutes(-1) },
        };
        var board = _ctx.Render<IncidentBoard>(p => p.Add(b => b.Incidents, incidents));
        string[] Ids() => [.. board.FindAll("li.cr-incident").Select(li => li.GetAttribute("data-incident-id")!)];

        board.Find("[data-filter=municipio]").Change("9");
        Ids().ShouldBe(["crash-m9", "flood-m9"]);
        board.Find("[data-testid=board-filtered]").TextContent.ShouldBe("2 di 3");
        board.Find("[data-filter=type]").Change("flooding");
        Ids().ShouldBe(["flood-m9"]);
        board.Find("[data-filter=priority]").Change("P1");
        board.FindAll("li.cr-incident").ShouldBeEmpty();
        board.Find(".cr-board-empty").TextContent.ShouldBe("Nessun intervento corrisponde ai filtri");

        board.Find("[data-filter=priority]").Change("");
        board.Find("[data-filter=type]").Change("");
        board.Find("[data-filter=municipio]").Change("");
        Ids().ShouldBe(["flood-m1", "crash-m9", "flood-m9"]);
        board.FindAll("[data-testid=board-filtered]").ShouldBeEmpty();
        board.Find("[data-filter=sort]").Change("Newest");
        Ids().ShouldBe(["flood-m9", "crash-m9", "flood-m1"]);
        board.Find("[data-filter=sort]").Change("RecentlyChanged");
        Ids().ShouldBe(["flood-m1", "crash-m9", "flood-m9"]);
    }

    [Fact]
    public async Task Roster_SetsAUnitBusyByHand_OffersNothingForAUnitOnAnIncident_AndSaysWhenItChangedMeanwhile()
    {
        var (commands, opened) = await OpenAsync();
        var store = _ctx.Services.GetRequiredService<IIncidentStore>();
        var volunteers = Patrol with { Id = new UnitId("PC-VOL-01"), Kind = UnitKind.VolunteerTeam };
        await store.SeedUnitsAsync([volunteers], Ct);
        await commands.DispatchAsync(opened.Incident, 1, volunteers.Id, Op("op.rossi"), Ct);
        UnitView View(Unit u, UnitStatus status, string? incident = null) => new(u.Id.Value, u.Kind, u.Base, status, incident, 9.19, 45.52);
        var popovers = _ctx.Render<MudBlazor.MudPopoverProvider>();
        var roster = _ctx.Render<UnitRoster>(p => p
            .Add(r => r.Units, [View(Patrol, UnitStatus.Available), View(volunteers, UnitStatus.EnRoute, opened.Incident.ToString())])
            .Add(r => r.Incidents, new Dictionary<string, IncidentSnapshot> { [opened.Incident.ToString()] = Snapshot(opened.Incident.ToString(), Priority.P1, IncidentStatus.Dispatched, 1) with { Title = "Allagamento via Valfurva" } }));

        roster.Find("li[data-unit-id='PC-VOL-01']").TextContent.ShouldContain("Allagamento via Valfurva");
        roster.FindAll("li[data-unit-id='PC-VOL-01'] .cr-unit-status-menu").ShouldBeEmpty();
        roster.Find("li[data-unit-id='PL-M9-A01'] .cr-unit-status-menu button").Click();
        popovers.WaitForElement("[data-next-status=Busy]").Click(); // the menu opens on a later render

        roster.WaitForAssertion(() => store.ListUnitsAsync(Ct).Result.Single(u => u.Id == Patrol.Id).Status.ShouldBe(UnitStatus.Busy));

        // The screen still shows it available (the stream has not told it yet): a second change is refused.
        roster.Find("li[data-unit-id='PL-M9-A01'] .cr-unit-status-menu button").Click();
        popovers.WaitForElement("[data-next-status=OffDuty]").Click();
        var snackbar = _ctx.Services.GetRequiredService<MudBlazor.ISnackbar>();
        roster.WaitForAssertion(() => snackbar.ShownSnackbars.ShouldContain(s => s.Message!.Contains("è cambiato nel frattempo")));
        (await store.ListUnitsAsync(Ct)).Single(u => u.Id == Patrol.Id).Status.ShouldBe(UnitStatus.Busy);
    }

    [Fact]
    public async Task Detail_OffersWhatTheStatusAllows_AndRecommendsTheNearestAvailableUnit()
    {
        var (_, opened) = await OpenAsync();

        var detail = _ctx.Render<IncidentDetail>(p => p.Add(d => d.IncidentId, opened.Incident.ToString()));

        detail.WaitForAssertion(() => detail.Find("[data-testid='incident-status']").TextContent.Trim().ShouldBe("Nuovo"));
        var buttons = detail.FindAll(".cr-actions button").Select(b => b.TextContent.Trim()).ToList();
        buttons.ShouldBe(["Prendi in carico", "Aggiungi nota", "Annulla intervento", "Infondato"]);
        detail.Find("li[data-recommended-unit]").GetAttribute("data-recommended-unit").ShouldBe(Patrol.Id.Value);
        detail.Find("li[data-recommended-unit]").TextContent.ShouldContain("Auto · 667 m"); // straight line to the gauge
        detail.Find(".cr-timeline").TextContent.ShouldContain("Intervento aperto");
    }

    [Fact]
    public async Task Detail_WhenSomeoneElseChangedTheIncident_ShowsTheConflictAndKeepsTheirChange()
    {
        var (commands, opened) = await OpenAsync();
        var detail = _ctx.Render<IncidentDetail>(p => p.Add(d => d.IncidentId, opened.Incident.ToString()));
        detail.WaitForAssertion(() => detail.Find("[data-testid='incident-status']").TextContent.Trim().ShouldBe("Nuovo"));

        // Another operator acknowledges first; this panel still shows version 1.
        (await commands.AcknowledgeAsync(opened.Incident, 1, Op("op.bianchi"), Ct)).Succeeded.ShouldBeTrue();
        detail.Find(".cr-actions button").Click(); // "Prendi in carico" at version 1

        detail.WaitForAssertion(() => detail.Find("[role='alert']").TextContent.ShouldContain("Intervento modificato da un altro operatore"));
        detail.Find("[role='alert']").TextContent.ShouldContain("op.bianchi");
        (await commands.LoadAsync(opened.Incident, Op("op.rossi"), Ct))!.Timeline.Count.ShouldBe(2); // theirs only, nothing overwritten
    }

    [Theory]
    [InlineData(Role.WallScreen)]
    [InlineData(Role.ItOperations)]
    [InlineData(Role.EventCoordinator)]
    public async Task ForALookingRole_DetailAndRosterOfferNoActions(Role role)
    {
        var (_, opened) = await OpenAsync();
        _signedIn.SetAuthorized("guarda");
        _signedIn.SetRoles(role.ToCode());

        var detail = _ctx.Render<IncidentDetail>(p => p.Add(d => d.IncidentId, opened.Incident.ToString()));
        var roster = _ctx.Render<UnitRoster>(p => p.Add(r => r.Units, [new UnitView(Patrol.Id.Value, Patrol.Kind, Patrol.Base, UnitStatus.Available, null, 9.19, 45.52)]));

        detail.WaitForAssertion(() => detail.Find("[data-testid='incident-status']").TextContent.Trim().ShouldBe("Nuovo"));
        detail.FindAll(".cr-actions button").ShouldBeEmpty();
        detail.Find("[data-testid=read-only]").TextContent.ShouldBe("Sola lettura");
        detail.FindAll("li[data-recommended-unit]").ShouldBeEmpty();
        detail.Find(".cr-timeline").TextContent.ShouldContain("Intervento aperto"); // what happened, still shown
        roster.FindAll(".cr-unit-status-menu").ShouldBeEmpty();
    }

    [Fact]
    public async Task AnIncidentOpenedFromARestrictedAlert_IsPublishedRestricted_AndStaysSoAfterReplay()
    {
        var store = _ctx.Services.GetRequiredService<IIncidentStore>();
        await store.MigrateAsync(Ct);
        var commands = _ctx.Services.GetRequiredService<IncidentCommands>();

        var opened = await commands.OpenAsync(new OpenIncident("flooding", null, IncidentSource.SensorAlert, 9.19, 45.46, "Aggressione", null,
            ["/e2e\nr1"], Domain.Events.Visibility.Restricted), Op("op.rossi"), Ct);

        opened.Succeeded.ShouldBeTrue();
        (await commands.LoadAsync(opened.Incident, Op("op.rossi"), Ct))!.Visibility.ShouldBe(Domain.Events.Visibility.Restricted);
        (await commands.LoadAsync(opened.Incident, Op("schermo", Role.WallScreen), Ct)).ShouldBeNull(); // an id sent by hand opens nothing
        (await commands.LoadAsync(opened.Incident, Op("eventi", Role.EventCoordinator), Ct)).ShouldBeNull();
        var message = (await store.ReadOutboxAsync(10, Ct)).Single(m => m.Type == Domain.Events.EventTypes.IncidentUpdated);
        Domain.Events.CloudEventJson.Parse(message.Payload, T0).Visibility.ShouldBe(Domain.Events.Visibility.Restricted);
    }

    [Fact]
    public async Task CommandsThemselves_RefuseARoleThatMayNotGiveThem_AndWriteNothing()
    {
        var (commands, opened) = await OpenAsync();
        var store = _ctx.Services.GetRequiredService<IIncidentStore>();
        var auditBefore = (await store.ReadAuditAsync(new AuditQuery(), Ct)).Count;

        var outcomes = new[]
        {
            await commands.AcknowledgeAsync(opened.Incident, 1, Op("schermo", Role.WallScreen), Ct),
            await commands.DispatchAsync(opened.Incident, 1, Patrol.Id, Op("coc", Role.CivilProtection), Ct), // COC may coordinate, not send PL patrols
            await commands.OpenAsync(new OpenIncident("flooding", null, IncidentSource.Manual, 9.19, 45.46, "Prova", null), Op("it", Role.ItOperations), Ct),
        };
        var unit = await _ctx.Services.GetRequiredService<UnitCommands>().SetStatusAsync(Patrol.Id, UnitStatus.Available, UnitStatus.Busy, Op("eventi", Role.EventCoordinator), Ct);
        var triage = await _ctx.Services.GetRequiredService<AlertTriageCommands>().ShelveAsync(["/e2e\n1"], TimeSpan.FromHours(1), Op("admin", Role.Administrator), Ct);

        outcomes.Select(o => o.Refusal?.Code).ShouldAllBe(c => c == Operator.NotPermittedCode);
        unit!.Code.ShouldBe(Operator.NotPermittedCode);
        triage.Refusal!.Code.ShouldBe(Operator.NotPermittedCode);
        (await commands.LoadAsync(opened.Incident, Op("op.rossi"), Ct))!.Version.ShouldBe(1);
        (await store.ListUnitsAsync(Ct)).Single().Status.ShouldBe(UnitStatus.Available);
        (await store.ReadAuditAsync(new AuditQuery(), Ct)).Count.ShouldBe(auditBefore);
    }

    public async ValueTask DisposeAsync()
    {
        await _ctx.DisposeAsync();
        foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(_database) + "*"))
            File.Delete(file);
    }
}

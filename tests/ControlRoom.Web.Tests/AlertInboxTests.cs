using Bunit;
using ControlRoom.Domain.Alerts;
using ControlRoom.Domain.Events;
using ControlRoom.Web.Features.Operations;
using ControlRoom.Web.Situation;
using Microsoft.AspNetCore.Components;

namespace ControlRoom.Web.Tests;

/// <summary>The inbox groups duplicates into one row and hands each decision to the page with every alert of the row.</summary>
public class AlertInboxTests
{
    private static readonly DateTimeOffset Now = ComponentTests.Now;
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(30);

    private static AlertView At(string id, int minutesAgo, string? subject = null, double lon = 9.19, string? source = null) =>
        Alerts.View(id, Now.AddMinutes(-minutesAgo), subject: subject) with
        {
            Lon = lon,
            Key = (source ?? "/test") + "\n" + id,
        };

    [Fact]
    public void Group_SameDeviceWithinTheWindow_IsOneRow_LedByTheNewest()
    {
        IReadOnlyList<AlertView> inbox =
        [
            At("a3", 1, "seveso-1"), At("other", 2, "lambro-1"), At("a2", 20, "seveso-1"), At("a1", 45, "seveso-1"),
            At("old", 90, "seveso-1"), At("elsewhere", 3, "seveso-1", source: "/arpa"),
        ];

        var groups = AlertGroup.Group(inbox, Window);

        groups.Select(g => (g.Lead.Key, g.Count)).ShouldBe(
            [("/test\na3", 3), ("/test\nother", 1), ("/test\nold", 1), ("/arpa\nelsewhere", 1)]);
        groups[0].Keys.ShouldBe(["/test\na3", "/test\na2", "/test\na1"]); // a1 joins: 25 min after a2, chained
    }

    [Fact]
    public void Group_WithoutADevice_UsesTheSameTypeInTheSame100mCell()
    {
        IReadOnlyList<AlertView> inbox =
        [
            At("x1", 1) with { Subject = null }, At("x2", 5) with { Subject = null, Lon = 9.19005 },
            At("far", 6) with { Subject = null, Lon = 9.2 }, At("nowhere", 7) with { Subject = null, Lon = null, Lat = null },
            At("nowhere2", 8) with { Subject = null, Lon = null, Lat = null },
        ];

        AlertGroup.Group(inbox, Window).Select(g => g.Count).ShouldBe([2, 1, 1, 1]);
    }

    [Fact]
    public async Task Feed_ShowsAGroupAsOneRowWithItsCount_AndAcknowledgesEveryAlertOfIt()
    {
        await using var ctx = ComponentTests.Context();
        (AlertGroup Group, AlertDisposition Disposition)? acknowledged = null;
        (AlertGroup Group, TimeSpan Period)? shelved = null;
        var popovers = ctx.Render<MudBlazor.MudPopoverProvider>();
        var feed = ctx.Render<AlertFeed>(p => p
            .Add(c => c.Alerts, [At("a2", 1, "seveso-1"), At("b", 2), At("a1", 10, "seveso-1")])
            .Add(c => c.OnAcknowledge, EventCallback.Factory.Create<(AlertGroup, AlertDisposition)>(this, r => acknowledged = r))
            .Add(c => c.OnShelve, EventCallback.Factory.Create<(AlertGroup, TimeSpan)>(this, r => shelved = r)));

        var rows = feed.FindAll("li.cr-alert");
        rows.Count.ShouldBe(2);
        rows[0].GetAttribute("data-count").ShouldBe("2");
        rows[0].QuerySelector(".cr-alert-count")!.TextContent.ShouldBe("×2");
        rows[0].QuerySelector(".cr-alert-count")!.GetAttribute("title")!.ShouldContain("30 minuti");
        feed.Find("[data-view=inbox]").TextContent.ShouldBe("Da gestire (2)");

        feed.Find("li.cr-alert .cr-alert-ack button").Click();
        popovers.WaitForElement("[data-disposition=Duplicate]").Click(); // menus open on a later render
        feed.Find("li.cr-alert .cr-alert-shelve button").Click();
        popovers.WaitForElement("[data-minutes='60']").Click();

        acknowledged.ShouldNotBeNull().Disposition.ShouldBe(AlertDisposition.Duplicate);
        acknowledged.Value.Group.Keys.ShouldBe(["/test\na2", "/test\na1"]);
        shelved.ShouldNotBeNull().Period.ShouldBe(TimeSpan.FromHours(1));
    }

    [Fact]
    public async Task Feed_HandledView_SaysWhatWasDecidedByWhom_AndOffersToReopen()
    {
        await using var ctx = ComponentTests.Context();
        AlertView? reopened = null;
        var shelf = AlertTriage.Shelve(["/test\ns"], TimeSpan.FromHours(1), Now, "Postazione 2").Triage!;
        var duplicate = AlertTriage.Acknowledge(["/test\nd"], AlertDisposition.FalsePositive, Now, "Postazione 3").Triage!;
        var feed = ctx.Render<AlertFeed>(p => p
            .Add(c => c.Alerts, [])
            .Add(c => c.Handled, [At("s", 5) with { Triage = shelf }, At("d", 6) with { Triage = duplicate }])
            .Add(c => c.OnReopen, EventCallback.Factory.Create<AlertView>(this, a => reopened = a)));

        feed.Find(".cr-feed-empty").TextContent.ShouldBe("Nessun allarme ricevuto");
        feed.Find("[data-view=handled]").Click();

        var rows = feed.FindAll("li.cr-alert-handled");
        rows[0].TextContent.ShouldContain("Accantonato fino a 15:00:00"); // Europe/Rome
        rows[0].TextContent.ShouldContain("Postazione 2");
        rows[1].TextContent.ShouldContain("Falso positivo");
        rows[1].QuerySelector(".cr-alert-reopen")!.Click();
        reopened.ShouldNotBeNull().Key.ShouldBe("/test\nd");
    }
}

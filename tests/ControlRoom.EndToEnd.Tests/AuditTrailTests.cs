using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlRoom.EndToEnd.Tests;

/// <summary>
/// An operator's action shows up in the audit trail with who, what and from where; the chain checks out on
/// the page and from the command line; the CSV export carries it and is itself recorded.
/// </summary>
public sealed class AuditTrailTests : EmbeddedAppTests
{
    [Fact]
    public async Task AnOperatorsDecision_IsAudited_Verified_AndExported()
    {
        await using (var app = await AppProcess.StartWebAsync(Settings))
        {
            var page = await BrowserFixture.OpenOperationsAsync(Browser, app.BaseAddress, app.Demo("supervisore"));
            var camera = "cam-" + Guid.NewGuid().ToString("N")[..6];
            var alertId = Guid.NewGuid().ToString("N");
            await PostAlertAsync(app, alertId, "Oggetto abbandonato " + camera, "camera", "severe", camera);
            var row = page.Locator("li.cr-alert", new() { HasText = camera });
            await row.Locator(".cr-alert-shelve button").ClickAsync();
            await page.Locator("[data-minutes='15']").ClickAsync();
            await Expect(row).ToHaveCountAsync(0);

            await page.Locator("[data-testid='audit-link']").ClickAsync();
            await page.Locator(".cr-audit[data-interactive='true']").WaitForAsync();
            var record = page.Locator(".cr-audit-row[data-sequence]", new() { HasText = "alert.shelved" });
            await Expect(record).ToContainTextAsync("supervisore");
            await Expect(record).ToContainTextAsync(alertId); // the alert's key: its source and id
            await Expect(record).ToContainTextAsync("127.0.0.1");
            await page.Locator("[data-testid='audit-verify']").ClickAsync();
            await Expect(page.Locator("[data-testid='audit-verification']")).ToContainTextAsync("Catena integra");

            await page.Locator("[data-filter='action']").FillAsync("shelved");
            await page.GetByRole(AriaRole.Button, new() { Name = "Cerca" }).ClickAsync();
            await Expect(page.Locator(".cr-audit-row[data-sequence]")).ToHaveCountAsync(1);
            var href = await page.Locator("[data-testid='audit-export']").GetAttributeAsync("href");
            href.ShouldNotBeNull().ShouldContain("action=shelved");
            // The download in the signed-in session (the export is for supervisors): anonymous it is refused.
            var download = await page.Context.APIRequest.GetAsync(new Uri(app.BaseAddress, href.TrimStart('/')).ToString());
            download.Status.ShouldBe(200);
            var bytes = await download.BodyAsync();
            bytes.Take(3).ShouldBe(System.Text.Encoding.UTF8.GetPreamble()); // so spreadsheets read accents
            var csv = System.Text.Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
            csv.ShouldStartWith("sequence,time_europe_rome,actor,action,subject,origin,details,previous_hash,hash\r\n");
            csv.ShouldContain("\"alert.shelved\"");
            csv.ShouldContain(alertId);
            (await page.Context.APIRequest.GetAsync(new Uri(app.BaseAddress, "audit/export.csv?from=yesterday").ToString())).Status.ShouldBe(400);
            using (var anonymous = await app.Http.GetAsync(href.TrimStart('/'), Ct))
                anonymous.StatusCode.ShouldBe(System.Net.HttpStatusCode.Unauthorized); // no session, no data (an ingest key is not one)
            await page.ReloadAsync();
            await Expect(page.Locator(".cr-audit-row[data-sequence]", new() { HasText = "audit.exported" })).ToHaveCountAsync(1);
            await page.Context.CloseAsync();
        }

        var (exitCode, output) = await AppProcess.RunToEndAsync("ControlRoom.Web", Settings, "verify-audit");
        exitCode.ShouldBe(0, output);
        output.ShouldStartWith("Audit chain intact: 4 records in SQLite "); // demo accounts, sign-in, the shelving, the export
    }
}

using ControlRoom.Domain.Audit;
using ControlRoom.Web.Features.Audit;

namespace ControlRoom.Web.Tests.Audit;

/// <summary>The export's file format and its time filters, which operators type in Rome time.</summary>
public sealed class AuditExportTests
{
    [Fact]
    public async Task Csv_QuotesEveryField_KeepsFormulasAsText_AndGivesRomeTimeWithItsOffset()
    {
        var winter = new AuditEntry(new DateTimeOffset(2026, 11, 22, 8, 30, 0, TimeSpan.Zero), "=HYPERLINK(\"x\")", "alert.shelved", "/e2e\nid-1", """{"a":"b, c"}""", "\t10.0.0.1");
        var record = AuditChain.Link(1, winter, AuditChain.Genesis);
        var csv = new StringWriter();

        await AuditExport.WriteCsvAsync(csv, [record]);

        var lines = csv.ToString().Split("\r\n");
        lines[0].ShouldBe("sequence,time_europe_rome,actor,action,subject,origin,details,previous_hash,hash");
        csv.ToString().ShouldContain("\"1\",\"2026-11-22 09:30:00.000000+01:00\",\"'=HYPERLINK(\"\"x\"\")\",\"alert.shelved\",\"/e2e\nid-1\",\"'\t10.0.0.1\",\"{\"\"a\"\":\"\"b, c\"\"}\"");
        csv.ToString().ShouldEndWith($"\"{record.Hash}\"\r\n");
    }

    [Theory]
    [InlineData("2026-11-22T08:30", true, "2026-11-22T07:30:00+00:00")]
    [InlineData("2026-07-01T08:30:15", true, "2026-07-01T06:30:15+00:00")]
    [InlineData("2026-10-25T02:30", true, "2026-10-25T00:30:00+00:00")]  // the autumn hour happens twice: a start takes the first
    [InlineData("2026-10-25T02:30", false, "2026-10-25T01:30:00+00:00")] // and an end the second
    [InlineData("2026-03-29T02:30", true, "2026-03-29T01:00:00+00:00")]  // skipped in spring: the moment of the change
    [InlineData("", true, null)]
    public void RomeTimes_AreReadAsOperatorsMeanThem(string text, bool start, string? utc)
    {
        AuditExport.TryParseRome(text, start, out var time).ShouldBeTrue();

        time?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture).ShouldBe(utc);
        if (utc is null)
            time.ShouldBeNull();
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("2026-11-22T08:30Z")]
    [InlineData("2026-11-22T08:30+02:00")]
    [InlineData("0001-01-01T00:00")]
    [InlineData("22/11/2026 08:30")]
    public void AnythingElse_IsRefused(string text) =>
        AuditExport.TryParseRome(text, start: true, out _).ShouldBeFalse();
}

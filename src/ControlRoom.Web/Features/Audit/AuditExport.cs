using System.Globalization;
using System.Text;
using System.Text.Json;
using ControlRoom.Domain.Audit;
using ControlRoom.Storage;
using ControlRoom.Web.Features.Operations;

namespace ControlRoom.Web.Features.Audit;

/// <summary>
/// GET /audit/export.csv?actor=&amp;action=&amp;from=&amp;to= — the audit records the filters select, newest first,
/// as RFC 4180 CSV (UTF-8 with BOM, so spreadsheet programs read accents). The export is itself audited.
/// Times in the filters and the file are Europe/Rome, as on screen.
/// </summary>
public static class AuditExport
{
    public const string Path = "/audit/export.csv";
    public const int MaxRows = 100_000;

    public static void MapAuditExport(this IEndpointRouteBuilder routes) =>
        routes.MapGet(Path, async (string? actor, string? action, string? from, string? to, HttpContext context, IIncidentStore store, TimeProvider clock) =>
        {
            if (!TryParseRome(from, out var start) || !TryParseRome(to, out var end))
                return Results.Problem("'from' and 'to' must be local times like 2026-11-22T08:30 (Europe/Rome).", statusCode: StatusCodes.Status400BadRequest);
            if (actor is { Length: > AuditEntry.MaxFieldLength } || action is { Length: > AuditEntry.MaxFieldLength })
                return Results.Problem($"Filters may be at most {AuditEntry.MaxFieldLength} characters.", statusCode: StatusCodes.Status400BadRequest);
            var query = new AuditQuery(start, end, Blank(actor), Blank(action), MaxRows);
            var records = await store.ReadAuditAsync(query, context.RequestAborted);
            var origin = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            await store.AppendAuditAsync(new AuditEntry(clock.GetUtcNow(), "anonymous", "audit.exported", "audit",
                JsonSerializer.Serialize(new { actor, action, from, to, rows = records.Count }), origin), context.RequestAborted);
            var name = $"audit-{RomeTime.ToRome(clock.GetUtcNow()):yyyyMMdd-HHmm}.csv";
            return Results.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(ToCsv(records))).ToArray(), "text/csv; charset=utf-8", name);
        })
        // Until sign-in (issue 4) the whole application is open; then: supervisors and administrators.
        .AllowAnonymous();

    public static string ToCsv(IEnumerable<AuditRecord> records)
    {
        var csv = new StringBuilder("sequence,time_europe_rome,actor,action,subject,origin,details,previous_hash,hash\r\n");
        foreach (var r in records)
        {
            var fields = new[]
            {
                r.Sequence.ToString(CultureInfo.InvariantCulture), RomeTime.ToRome(r.Entry.At).ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
                r.Entry.Actor, r.Entry.Action, r.Entry.Subject, r.Entry.Origin, r.Entry.Details, r.PreviousHash, r.Hash,
            };
            csv.AppendJoin(',', fields.Select(Quote)).Append("\r\n");
        }
        return csv.ToString();
    }

    /// <summary>A local time in Rome ("2026-11-22T08:30"), or nothing; false when it is not a time.</summary>
    public static bool TryParseRome(string? text, out DateTimeOffset? time)
    {
        time = null;
        if (string.IsNullOrWhiteSpace(text))
            return true;
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            return false;
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        time = new DateTimeOffset(local, RomeTime.Zone.GetUtcOffset(local));
        return true;
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    // Quote every field; double inner quotes. A leading =, +, - or @ is prefixed with ' so a spreadsheet never runs it as a formula.
    private static string Quote(string field)
    {
        var safe = field.Length > 0 && "=+-@".Contains(field[0], StringComparison.Ordinal) ? "'" + field : field;
        return "\"" + safe.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}

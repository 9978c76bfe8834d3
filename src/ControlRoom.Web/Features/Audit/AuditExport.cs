using System.Globalization;
using System.Text;
using System.Text.Json;
using ControlRoom.Domain.Audit;
using ControlRoom.Storage;
using ControlRoom.Web.Features.Access;
using ControlRoom.Web.Features.Operations;
using ControlRoom.Web.Hosting;

namespace ControlRoom.Web.Features.Audit;

/// <summary>
/// GET /audit/export.csv?actor=&amp;action=&amp;from=&amp;to= — the audit records the filters select, newest first,
/// as RFC 4180 CSV (UTF-8 with BOM, so spreadsheet programs read accents). The export is itself audited.
/// Times in the filters and the file are Europe/Rome, as on screen.
/// </summary>
public static class AuditExport
{
    public const string Path = "/audit/export.csv";
    public const int MaxRows = 50_000;

    private static readonly string[] LocalFormats = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"];

    public static void MapAuditExport(this IEndpointRouteBuilder routes) =>
        routes.MapGet(Path, async (string? actor, string? action, string? from, string? to, HttpContext context, IIncidentStore store, TimeProvider clock) =>
        {
            if (Query(actor, action, from, to, MaxRows + 1) is not { } query)
                return Results.Problem($"'from' and 'to' must be local times like 2026-11-22T08:30 (Europe/Rome); 'actor' and 'action' at most {AuditEntry.MaxFieldLength} characters.",
                    statusCode: StatusCodes.Status400BadRequest);
            var records = await store.ReadAuditAsync(query, context.RequestAborted);
            if (records.Count > MaxRows)
                return Results.Problem($"More than {MaxRows} records match: narrow the filters (time, operator, action).", statusCode: StatusCodes.Status400BadRequest);
            await store.AppendAuditAsync(new AuditEntry(clock.GetUtcNow(), context.User.Identity!.Name!, "audit.exported", "audit",
                JsonSerializer.Serialize(new { actor, action, from, to, rows = records.Count }), ClientAddress.Of(context)), context.RequestAborted);
            var name = $"audit-{RomeTime.ToRome(clock.GetUtcNow()):yyyyMMdd-HHmm}.csv";
            return Results.Stream(async body =>
            {
                // UTF-8 with BOM, so spreadsheet programs read accents.
                await using var writer = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
                await WriteCsvAsync(writer, records);
            }, "text/csv; charset=utf-8", name);
        })
        .RequireAuthorization(nameof(Permission.ReadAudit));

    /// <summary>RFC 4180 (<see cref="Csv"/>); times in Rome with their offset (the autumn hour repeats).</summary>
    public static async Task WriteCsvAsync(TextWriter csv, IEnumerable<AuditRecord> records)
    {
        await csv.WriteAsync("sequence,time_europe_rome,actor,action,subject,origin,details,previous_hash,hash\r\n");
        foreach (var r in records)
        {
            var fields = new[]
            {
                r.Sequence.ToString(CultureInfo.InvariantCulture), RomeTime.ToRome(r.Entry.At).ToString("yyyy-MM-dd HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture),
                r.Entry.Actor, r.Entry.Action, r.Entry.Subject, r.Entry.Origin, r.Entry.Details, r.PreviousHash, r.Hash,
            };
            await csv.WriteAsync(Csv.Line(fields));
        }
    }

    /// <summary>
    /// A local time in Rome ("2026-11-22T08:30"), or nothing; false when it is not one. In the autumn hour
    /// that happens twice, a start takes the first and an end the second; a time skipped in spring becomes
    /// the moment of the change. Either way no record in the hour is missed.
    /// </summary>
    public static bool TryParseRome(string? text, bool start, out DateTimeOffset? time)
    {
        time = null;
        if (string.IsNullOrWhiteSpace(text))
            return true;
        if (!DateTime.TryParseExact(text, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local) || local.Year is < 2000 or > 2100)
            return false;
        while (RomeTime.Zone.IsInvalidTime(local))
            local = local.AddMinutes(1);
        var offset = RomeTime.Zone.IsAmbiguousTime(local)
            ? (start ? RomeTime.Zone.GetAmbiguousTimeOffsets(local).Max() : RomeTime.Zone.GetAmbiguousTimeOffsets(local).Min())
            : RomeTime.Zone.GetUtcOffset(local);
        time = new DateTimeOffset(local, offset);
        return true;
    }

    /// <summary>The filters as typed on the page or in the export's query string, or null when one is not valid.</summary>
    public static AuditQuery? Query(string? actor, string? action, string? from, string? to, int limit) =>
        TryParseRome(from, start: true, out var start) && TryParseRome(to, start: false, out var end)
        && actor is not { Length: > AuditEntry.MaxFieldLength } && action is not { Length: > AuditEntry.MaxFieldLength }
            ? new AuditQuery(start, end, Blank(actor), Blank(action), limit)
            : null;

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

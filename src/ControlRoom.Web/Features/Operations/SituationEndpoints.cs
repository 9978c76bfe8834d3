using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ControlRoom.Domain.Audit;
using ControlRoom.Domain.Events;
using ControlRoom.Storage;
using ControlRoom.Web.Features.Access;
using ControlRoom.Web.Hosting;
using ControlRoom.Web.Situation;

namespace ControlRoom.Web.Features.Operations;

/// <summary>
/// The situation for programs and spreadsheets, through the same <see cref="SituationView"/> as the screens:
/// nothing above the caller's clearance, personal data masked where its role may not read it.
/// GET /api/situation: alerts in the inbox, handled alerts, incidents and units as JSON.
/// GET /api/situation/alerts.csv: the inbox as CSV (Europe/Rome times), audited.
/// </summary>
public static class SituationEndpoints
{
    public const string Path = "/api/situation";
    public const string AlertsCsvPath = "/api/situation/alerts.csv";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) } };

    public static void MapSituationEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(Path, (HttpContext context, SituationStore situation) =>
            {
                var snapshot = situation.Snapshot(ViewOf(context.User));
                return Results.Json(new
                {
                    alerts = snapshot.Alerts,
                    handled = snapshot.Handled,
                    incidents = snapshot.Incidents.Values.OrderBy(i => i.Id, StringComparer.Ordinal),
                    units = snapshot.Units.Values.OrderBy(u => u.Id, StringComparer.Ordinal),
                }, Json);
            })
            .RequireAuthorization(nameof(Permission.ViewOperations));

        routes.MapGet(AlertsCsvPath, async (HttpContext context, SituationStore situation, IIncidentStore store, TimeProvider clock) =>
            {
                var alerts = situation.Snapshot(ViewOf(context.User)).Alerts;
                await store.AppendAuditAsync(new AuditEntry(clock.GetUtcNow(), context.User.Identity!.Name!, "situation.exported", "alerts",
                    JsonSerializer.Serialize(new { rows = alerts.Count }), ClientAddress.Of(context)), context.RequestAborted);
                return Results.Stream(async body =>
                {
                    // UTF-8 with BOM, so spreadsheet programs read accents.
                    await using var csv = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
                    await csv.WriteAsync("source,id,time_europe_rome,severity,type,title,municipio,nil,lon,lat,visibility,personal_data\r\n");
                    foreach (var a in alerts)
                        await csv.WriteAsync(Csv.Line(Row(a)));
                }, "text/csv; charset=utf-8", $"allarmi-{RomeTime.ToRome(clock.GetUtcNow()):yyyyMMdd-HHmm}.csv");
            })
            .RequireAuthorization(nameof(Permission.ViewOperations));
    }

    private static SituationView ViewOf(ClaimsPrincipal user) => SituationView.For(AccountClaims.RoleOf(user));

    private static string?[] Row(AlertView a) =>
    [
        a.Source, a.Key[(a.Source.Length + 1)..], RomeTime.ToRome(a.Time).ToString("yyyy-MM-dd HH:mm:sszzz", CultureInfo.InvariantCulture),
        a.Severity.ToWire(), a.Type, a.Title, a.Municipio?.ToString(CultureInfo.InvariantCulture), a.Nil,
        a.Lon?.ToString(CultureInfo.InvariantCulture), a.Lat?.ToString(CultureInfo.InvariantCulture), a.Visibility.ToWire(),
        a.PersonalDataHidden ? "(hidden)" : a.PersonalData is { } personal ? JsonSerializer.Serialize(personal) : "",
    ];
}

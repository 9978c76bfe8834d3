namespace ControlRoom.Web.Features.Operations;

/// <summary>Operators read every time in Milan's time zone, whatever the server's.</summary>
public static class RomeTime
{
    public static readonly TimeZoneInfo Zone = Domain.Geography.Milan.TimeZone;

    public static DateTimeOffset ToRome(DateTimeOffset time) => TimeZoneInfo.ConvertTime(time, Zone);

    /// <summary>"14:05:09"; a date is added when the event is not from today (Rome).</summary>
    public static string Compact(DateTimeOffset time, DateTimeOffset now)
    {
        var local = ToRome(time);
        return local.Date == ToRome(now).Date ? local.ToString("HH:mm:ss") : local.ToString("dd/MM HH:mm:ss");
    }

    public static string Full(DateTimeOffset time) => ToRome(time).ToString("dddd d MMMM yyyy, HH:mm:ss");
}

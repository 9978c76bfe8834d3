namespace ControlRoom.Web.Hosting;

/// <summary>RFC 4180 lines for exports: every field quoted, inner quotes doubled, CRLF line ends.</summary>
public static class Csv
{
    public static string Line(IEnumerable<string?> fields) => string.Join(',', fields.Select(Field)) + "\r\n";

    // A field a spreadsheet would run as a formula (=, +, -, @, tab, carriage return first: OWASP's list)
    // is prefixed with ' so it stays text.
    public static string Field(string? field)
    {
        field ??= "";
        var safe = field.Length > 0 && "=+-@\t\r".Contains(field[0], StringComparison.Ordinal) ? "'" + field : field;
        return "\"" + safe.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}

using System.Text.Json;
using ControlRoom.Domain.Events;
using NetTopologySuite.Geometries;

namespace ControlRoom.Domain.Tests;

public class CloudEventJsonTests
{
    private static readonly DateTimeOffset Received = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private const string Valid = """
        {"specversion":"1.0","id":"a-1","source":"/sensors/arpa","type":"it.milano.nco.sensor.alert.raised",
         "time":"2026-11-22T09:59:00Z","severity":"severe","visibility":"public",
         "data":{"title":"Seveso oltre soglia","location":{"type":"Point","coordinates":[9.1922,45.5258]}}}
        """;

    private static (EventEnvelope? Envelope, List<string> Errors) Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var errors = new List<string>();
        return (CloudEventJson.TryParse(document.RootElement, Received, errors), errors);
    }

    [Fact]
    public void Parse_ValidEvent_ReadsAttributesAndLocation()
    {
        var (e, errors) = Parse(Valid);

        errors.ShouldBeEmpty();
        e.ShouldNotBeNull();
        e.Id.ShouldBe("a-1");
        e.Source.ShouldBe("/sensors/arpa");
        e.Severity.ShouldBe(Severity.Severe);
        e.Visibility.ShouldBe(Visibility.Public);
        e.Time.ShouldBe(new DateTimeOffset(2026, 11, 22, 9, 59, 0, TimeSpan.Zero));
        e.Title.ShouldBe("Seveso oltre soglia");
        var point = e.Location.ShouldBeOfType<Point>();
        point.X.ShouldBe(9.1922);
        point.Y.ShouldBe(45.5258);
        point.SRID.ShouldBe(4326);
    }

    [Fact]
    public void Parse_WithoutOptionalAttributes_UsesReceivedTimeInfoAndOperations()
    {
        var (e, errors) = Parse("""{"specversion":"1.0","id":"x","source":"/s","type":"it.milano.nco.sensor.observation.recorded"}""");

        errors.ShouldBeEmpty();
        e!.Time.ShouldBe(Received);
        e.Severity.ShouldBe(Severity.Info);
        e.Visibility.ShouldBe(Visibility.Operations);
        e.Location.ShouldBeNull();
    }

    [Theory]
    [InlineData("""{"specversion":"1.0","source":"/s","type":"it.milano.nco.sensor.alert.raised"}""", "Missing required attribute 'id'")]
    [InlineData("""{"specversion":"1.0","id":"","source":"/s","type":"it.milano.nco.sensor.alert.raised"}""", "'id' must not be empty")]
    [InlineData("""{"specversion":"1.0","id":"x","type":"it.milano.nco.sensor.alert.raised"}""", "'source'")]
    [InlineData("""{"specversion":"0.3","id":"x","source":"/s","type":"it.milano.nco.sensor.alert.raised"}""", "specversion")]
    [InlineData("""{"specversion":"1.0","id":"x","source":"/s","type":"com.example.unknown"}""", "Unknown event type")]
    [InlineData("""{"specversion":"1.0","id":"x","source":"/s","type":"it.milano.nco.sensor.alert.raised","severity":"catastrophic"}""", "Unknown severity")]
    [InlineData("""{"specversion":"1.0","id":"x","source":"/s","type":"it.milano.nco.sensor.alert.raised","visibility":"everyone"}""", "Unknown visibility")]
    [InlineData("""{"specversion":"1.0","id":"x","source":"/s","type":"it.milano.nco.sensor.alert.raised","time":"yesterday"}""", "RFC 3339")]
    [InlineData("""{"specversion":"1.0","id":"x","source":"/s","type":"it.milano.nco.sensor.alert.raised","time":"2026-11-22T10:00:00"}""", "with an offset")]
    [InlineData("""{"specversion":"1.0","id":"x\ny","source":"/s","type":"it.milano.nco.sensor.alert.raised"}""", "control characters")]
    [InlineData("""{"specversion":"1.0","id":"x","source":"/s","type":"it.milano.nco.sensor.alert.raised","data":{"location":{"type":"Polygon","coordinates":[[[9.1,45.4],[9.2,45.5],[9.2,45.4],[9.1,45.5],[9.1,45.4]]]}}}""", "not a valid geometry")]
    [InlineData("""{"specversion":"1.0","id":7,"source":"/s","type":"it.milano.nco.sensor.alert.raised"}""", "'id' must be a string")]
    [InlineData("""{"specversion":"1.0","id":"x","source":"/s","type":"it.milano.nco.sensor.alert.raised","data_base64":"AA=="}""", "data_base64")]
    [InlineData("""{"specversion":"1.0","id":"x","source":"/s","type":"it.milano.nco.sensor.alert.raised","data":{"location":{"type":"Point","coordinates":[200,45]}}}""", "outside WGS84")]
    [InlineData("""{"specversion":"1.0","id":"x","source":"/s","type":"it.milano.nco.sensor.alert.raised","data":{"location":{"type":"Point","coordinates":[9.1,-95]}}}""", "outside WGS84")]
    [InlineData("""{"specversion":"1.0","id":"x","source":"/s","type":"it.milano.nco.sensor.alert.raised","data":{"location":{"type":"Blob","coordinates":[9.1,45]}}}""", "not a valid GeoJSON")]
    [InlineData("""[1,2]""", "must be a JSON object")]
    public void Parse_InvalidEvent_IsRefusedWithAReason(string json, string reason)
    {
        var (e, errors) = Parse(json);

        e.ShouldBeNull();
        errors.ShouldContain(m => m.Contains(reason, StringComparison.Ordinal), $"errors were: {string.Join(" | ", errors)}");
    }

    [Fact]
    public void Serialize_ThenParse_RoundTripsEveryAttribute()
    {
        var (original, _) = Parse(Valid);

        var copy = CloudEventJson.Parse(CloudEventJson.Serialize(original!), Received.AddDays(1));

        copy.Id.ShouldBe(original!.Id);
        copy.Source.ShouldBe(original.Source);
        copy.Type.ShouldBe(original.Type);
        copy.Time.ShouldBe(original.Time);
        copy.Severity.ShouldBe(original.Severity);
        copy.Visibility.ShouldBe(original.Visibility);
        copy.Title.ShouldBe(original.Title);
        copy.Location!.EqualsExact(original.Location!).ShouldBeTrue();
    }

    [Fact]
    public void Serialize_EnvelopeBuiltInCode_PutsItsGeometryAtDataLocation()
    {
        var e = new EventEnvelope
        {
            Id = "c-1", Source = "/code", Type = EventTypes.SensorAlertRaised, Time = Received,
            Location = ControlRoom.Domain.Geography.Milan.Point(9.19, 45.46),
            Data = JsonSerializer.SerializeToElement(new { title = "t" }),
        };

        using var document = JsonDocument.Parse(CloudEventJson.Serialize(e));
        var data = document.RootElement.GetProperty("data");

        data.GetProperty("title").GetString().ShouldBe("t");
        data.GetProperty("location").GetProperty("type").GetString().ShouldBe("Point");
        data.GetProperty("location").GetProperty("coordinates")[1].GetDouble().ShouldBe(45.46);
    }

    [Fact]
    public void Parse_FromTheStream_AcceptsATypeThisVersionDoesNotKnow()
    {
        // A newer gateway may append types an older reader has never heard of (rolling upgrade).
        var json = """{"specversion":"1.0","id":"n-1","source":"/future","type":"it.milano.nco.something.new"}""";

        CloudEventJson.Parse(json, Received).Type.ShouldBe("it.milano.nco.something.new");
    }

    [Fact]
    public void Parse_FromTheStream_ReadsUnknownSeverityAsInfoAndUnknownVisibilityAsConfidential()
    {
        var json = """{"specversion":"1.0","id":"n-2","source":"/future","type":"it.milano.nco.sensor.alert.raised","severity":"apocalyptic","visibility":"secret-service"}""";

        var e = CloudEventJson.Parse(json, Received);

        e.Severity.ShouldBe(Severity.Info);
        e.Visibility.ShouldBe(Visibility.Confidential); // fail closed
    }
}

using System.Text.Json;
using ControlRoom.Domain.Incidents;
using ControlRoom.Storage.EventSerialization;
using static ControlRoom.Storage.Tests.IncidentSamples;

namespace ControlRoom.Storage.Tests;

public sealed class IncidentEventJsonTests
{
    private static readonly IncidentId Id = new(Guid.Parse("0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"));

    private static IReadOnlyList<IncidentEvent> EveryType =>
        [.. ClosedLife(Id), .. CancelledLife(Id).Skip(1), .. UnfoundedLife(Id).Skip(1)];

    [Fact]
    public void Samples_CoverEveryIncidentEventType()
    {
        var all = typeof(IncidentEvent).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(IncidentEvent)) && !t.IsAbstract);

        EveryType.Select(e => e.GetType()).Distinct().ShouldBe(all, ignoreOrder: true);
    }

    [Fact]
    public void EveryEventType_RoundTripsExactly()
    {
        foreach (var e in EveryType)
        {
            var back = IncidentEventJson.Deserialize(IncidentEventJson.TypeOf(e), IncidentEventJson.Serialize(e));

            back.ShouldBeSameEvent(e);
        }
    }

    [Fact]
    public void AnIncidentOpenedBeforeVisibilityExisted_ReadsAsOperations()
    {
        var json = JsonSerializer.SerializeToNode(Opened(Id), IncidentEventJson.Options)!.AsObject();
        json.Remove("visibility").ShouldBeTrue();

        var back = (IncidentOpened)IncidentEventJson.Deserialize("incident-opened", json.ToJsonString());

        back.Visibility.ShouldBe(Domain.Events.Visibility.Operations);
        Incident.Replay([back]).Visibility.ShouldBe(Domain.Events.Visibility.Operations);
    }

    [Fact]
    public void TypeNames_AreDistinctPerEventType()
    {
        var names = EveryType.Select(IncidentEventJson.TypeOf).Distinct().ToList();

        names.Count.ShouldBe(11);
        names.ShouldBe(IncidentEventJson.TypeNames, ignoreOrder: true);
    }

    [Fact]
    public void Payload_HasGeoJsonPoint_PlainIds_EnumNames_AndNoTypeDiscriminator()
    {
        var json = JsonDocument.Parse(IncidentEventJson.Serialize(Opened(Id))).RootElement;

        json.GetProperty("incident").GetString().ShouldBe("0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
        json.GetProperty("priority").GetString().ShouldBe("P2");
        json.GetProperty("source").GetString().ShouldBe("SensorAlert");
        var location = json.GetProperty("location");
        location.GetProperty("type").GetString().ShouldBe("Point");
        location.GetProperty("coordinates")[0].GetDouble().ShouldBe(9.1922131);
        location.GetProperty("coordinates")[1].GetDouble().ShouldBe(45.5258337);
        json.TryGetProperty("$type", out _).ShouldBeFalse();

        var dispatched = JsonDocument.Parse(IncidentEventJson.Serialize(new UnitDispatched(Id, T0, "op", Alfa))).RootElement;
        dispatched.GetProperty("unit").GetString().ShouldBe("PL-M3-A12");
    }

    [Fact]
    public void Deserialize_ReordersAndReformatsLikeJsonb_StillExact()
    {
        var e = Opened(Id);
        var reordered = JsonSerializer.Serialize(
            JsonDocument.Parse(IncidentEventJson.Serialize(e)).RootElement.EnumerateObject().Reverse().ToDictionary(p => p.Name, p => p.Value));

        IncidentEventJson.Deserialize("incident-opened", reordered).ShouldBeSameEvent(e);
    }

    [Fact]
    public void Deserialize_UnknownType_Throws() =>
        Should.Throw<NotSupportedException>(() => IncidentEventJson.Deserialize("incident-teleported", "{}"));

    [Fact]
    public void Deserialize_MissingRequiredField_Throws()
    {
        var json = IncidentEventJson.Serialize(new NoteAdded(Id, T0, "op", "testo")).Replace("\"text\"", "\"other\"");

        Should.Throw<JsonException>(() => IncidentEventJson.Deserialize("note-added", json));
    }
}

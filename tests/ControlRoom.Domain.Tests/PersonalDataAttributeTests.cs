using System.Text.Json;
using ControlRoom.Domain.Events;

namespace ControlRoom.Domain.Tests;

/// <summary>The <c>personaldata</c> extension attribute: which data properties a producer marks as personal.</summary>
public sealed class PersonalDataAttributeTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

    private static EventEnvelope? Parse(string personal, List<string> errors)
    {
        using var json = JsonDocument.Parse("""{"specversion":"1.0","id":"1","source":"/t","type":"it.milano.nco.sensor.alert.raised","personaldata":""" + JsonSerializer.Serialize(personal) + ""","data":{"caller":"Mario Rossi"}}""");
        return CloudEventJson.TryParse(json.RootElement, Now, errors, atEdge: true);
    }

    [Fact]
    public void NamedFields_SurviveTheRoundTrip()
    {
        var parsed = Parse("caller, phone2", []).ShouldNotBeNull();

        parsed.PersonalData.ShouldBe(["caller", "phone2"]);
        CloudEventJson.Parse(CloudEventJson.Serialize(parsed), Now).PersonalData.ShouldBe(["caller", "phone2"]);
    }

    [Theory]
    [InlineData("caller,data.name")]
    [InlineData("1st")]
    [InlineData("a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q")]
    public void AnythingElse_IsRefusedWithAReason(string personal)
    {
        var errors = new List<string>();

        Parse(personal, errors).ShouldBeNull();

        errors.ShouldHaveSingleItem().ShouldContain("'personaldata'");
    }
}

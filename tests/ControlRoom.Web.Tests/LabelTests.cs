using System.Globalization;
using System.Resources;
using ControlRoom.Web.Features.Incidents;
using ControlRoom.Web.Localization;

namespace ControlRoom.Web.Tests;

/// <summary>Every domain code an operator can meet has a label in Italian and in English.</summary>
public class LabelTests
{
    private static readonly ResourceManager Resources = new("ControlRoom.Web.Localization.Strings", typeof(Strings).Assembly);

    [Theory]
    [InlineData("it")]
    [InlineData("en")]
    public void EveryIncidentTypeStatusUnitAndEvent_HasALabel(string culture)
    {
        var missing = IncidentLabels.AllKeys()
            .Where(key => string.IsNullOrWhiteSpace(Resources.GetString(key, CultureInfo.GetCultureInfo(culture))))
            .ToList();

        missing.ShouldBeEmpty();
    }

    [Fact]
    public void EnglishLabels_AreTranslated_NotFallingBackToItalian()
    {
        var untranslated = IncidentLabels.AllKeys()
            .Where(key => Resources.GetString(key, CultureInfo.GetCultureInfo("en")) == Resources.GetString(key, CultureInfo.GetCultureInfo("it")))
            .ToList();

        untranslated.ShouldBeEmpty();
    }
}

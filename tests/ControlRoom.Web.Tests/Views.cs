using ControlRoom.Domain.Events;
using ControlRoom.Web.Situation;

namespace ControlRoom.Web.Tests;

internal static class Views
{
    /// <summary>The whole situation, as the most cleared role with personal data sees it.</summary>
    public static readonly SituationView Everything = new(Visibility.Confidential, PersonalData: true);
}

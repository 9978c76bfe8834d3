using Microsoft.AspNetCore.Localization;

namespace ControlRoom.Web.Hosting;

public static class CultureSwitch
{
    public const string Path = "/culture";

    /// <summary>GET /culture?name=en-GB&amp;redirect=/ stores the choice in the culture cookie and goes back.</summary>
    public static void MapCultureSwitch(this IEndpointRouteBuilder routes) =>
        routes.MapGet(Path, (string? name, string? redirect, HttpContext context) =>
        {
            var culture = WebRegistration.Cultures.FirstOrDefault(c => c.Name == name);
            if (culture is null)
                return Results.Problem($"Unsupported culture '{name}'.", statusCode: StatusCodes.Status400BadRequest);
            context.Response.Cookies.Append(
                CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { MaxAge = TimeSpan.FromDays(365), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true });
            // Only local redirects: never an open redirect.
            return Results.LocalRedirect(redirect is { Length: > 0 } r && r.StartsWith('/') && !r.StartsWith("//", StringComparison.Ordinal) ? r : "/");
        })
        // Anyone who can load the page may choose its language.
        .AllowAnonymous();
}

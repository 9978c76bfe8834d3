using ControlRoom.Web.Hosting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace ControlRoom.Web.Features.Access;

/// <summary>Sign-out: a form post with its antiforgery token (a link or a cross-site form cannot end a session), audited.</summary>
public static class AccountEndpoints
{
    public const string SignInPath = "/account/signin";
    public const string SignOutPath = "/account/signout";
    public const string DeniedPath = "/account/denied";

    public static void MapAccountEndpoints(this IEndpointRouteBuilder routes) =>
        routes.MapPost(SignOutPath, async (HttpContext context, SignInService signIn) =>
        {
            await signIn.SignedOutAsync(context.User.Identity!.Name!, ClientAddress.Of(context), context.RequestAborted);
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect(SignInPath);
        })
        .RequireAuthorization()
        .WithMetadata(new RequireAntiforgeryTokenAttribute());
}

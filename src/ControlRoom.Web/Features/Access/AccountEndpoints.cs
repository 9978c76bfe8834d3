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
    public const string SsoPath = "/account/signin/sso";
    public const string DevicePath = "/account/device";
    public const string PasswordPath = "/account/password";

    public static void MapAccountEndpoints(this IEndpointRouteBuilder routes)
    {
        // To the identity provider, and back to where the operator was going.
        routes.MapGet(SsoPath, async (string? returnUrl, HttpContext context, Microsoft.Extensions.Options.IOptions<OidcOptions> oidc, ILoggerFactory loggers) =>
            {
                if (!oidc.Value.IsEnabled)
                    return Results.Problem("Single sign-on is not configured here (Oidc:Authority).", statusCode: StatusCodes.Status404NotFound);
                try
                {
                    await context.ChallengeAsync(OidcOptions.Scheme, new AuthenticationProperties { RedirectUri = SignInPage.LocalReturnUrl(returnUrl) });
                    return Results.Empty;
                }
                catch (InvalidOperationException ex)
                {
                    // The provider's metadata could not be read (down, unreachable): say so, offer local accounts.
                    loggers.CreateLogger(typeof(AccountEndpoints)).LogWarning(ex, "The identity provider did not answer");
                    return Results.Redirect(SignInPath + "?sso=unavailable");
                }
            })
            .AllowAnonymous();
        routes.MapPost(SignOutPath, async (HttpContext context, SignInService signIn, IAntiforgery antiforgery) =>
        {
            // Checked here: the middleware only marks a bad token, and nothing binds the form to refuse it.
            if (!await antiforgery.IsRequestValidAsync(context))
                return Results.Problem("The sign-out form's antiforgery token is missing or wrong: sign out from the application's own button.", statusCode: StatusCodes.Status400BadRequest);
            await signIn.SignedOutAsync(context.User.Identity!.Name!, ClientAddress.Of(context), context.RequestAborted);
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect(SignInPath);
        })
        .RequireAuthorization()
        .DisableAntiforgery(); // validated in the handler above, where a failure is answered
    }
}

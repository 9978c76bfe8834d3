using System.Threading.RateLimiting;
using ControlRoom.Domain.Access;
using ControlRoom.Gateway.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ControlRoom.Web.Features.Access;

public static class AccessRegistration
{
    public const string CookieName = "ControlRoom.Session";
    public const string SignInRateLimit = "signin-per-address";

    /// <summary>Local accounts with a cookie session, the role policies, and a screen that notices when its session ends.</summary>
    public static IServiceCollection AddControlRoomAccess(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AccountOptions>().Bind(configuration.GetSection(AccountOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IPasswordHasher<Account>, PasswordHasher<Account>>();
        services.AddSingleton<SignInService>();
        services.AddSingleton<Administration.AccountAdministration>();
        services.AddSingleton<SessionValidator>();
        services.AddHostedService(sp => ActivatorUtilities.CreateInstance<DemoAccountSeeder>(sp, Console.Out));

        var oidc = configuration.GetSection(OidcOptions.Section).Get<OidcOptions>() ?? new OidcOptions();
        services.AddOptions<OidcOptions>().Bind(configuration.GetSection(OidcOptions.Section));
        services.AddSingleton<OidcSignIn>();
        var authentication = services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme);
        if (oidc.IsEnabled)
            authentication.AddOpenIdConnect(OidcOptions.Scheme, o => ConfigureOidc(o, oidc));
        authentication
            .AddCookie(o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                // Lax, not Strict: coming back from the identity provider is a cross-site redirect chain, in which a
                // Strict cookie is not sent. Every state-changing form carries an antiforgery token anyway.
                o.Cookie.SameSite = SameSiteMode.Lax;
                // Outside Development the cookie never travels over plain HTTP (deployments sit behind TLS).
                o.LoginPath = AccountEndpoints.SignInPath;
                o.AccessDeniedPath = AccountEndpoints.DeniedPath;
                o.SlidingExpiration = false; // a session lasts a shift from sign-in, whatever the activity
                // A person's browser is sent to the sign-in or "not allowed" page; a program gets the status code.
                o.Events.OnRedirectToLogin = context => RedirectOrStatus(context, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = context =>
                {
                    if (AccountClaims.MustChange(context.HttpContext.User))
                        context.RedirectUri = AccountEndpoints.PasswordPath; // first a password of one's own
                    return RedirectOrStatus(context, StatusCodes.Status403Forbidden);
                };
                o.Events.OnValidatePrincipal = async context =>
                {
                    var validator = context.HttpContext.RequestServices.GetRequiredService<SessionValidator>();
                    if (!await validator.IsValidAsync(context.Principal!, context.HttpContext.RequestAborted))
                    {
                        context.RejectPrincipal();
                        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                    }
                };
            });
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IHostEnvironment>((o, environment) =>
                o.Cookie.SecurePolicy = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always);
        // Each sign-in costs a password hash and an audit record: a budget per address keeps guessing and flooding slow.
        services.AddRateLimiter(o =>
        {
            o.AddPolicy(SignInRateLimit, context => HttpMethods.IsPost(context.Request.Method)
                ? RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = context.RequestServices.GetRequiredService<IOptions<AccountOptions>>().Value.SignInAttemptsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                })
                : RateLimitPartition.GetNoLimiter(""));
            o.OnRejected = GatewayAccess.TooManyRequestsAsync;
        });
        services.AddProblemDetails();
        services.AddControlRoomPolicies();
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, SessionRevalidation>();
        services.AddScoped<OperatorIdentity>();
        return services;
    }

    private static void ConfigureOidc(Microsoft.AspNetCore.Authentication.OpenIdConnect.OpenIdConnectOptions o, OidcOptions oidc)
    {
        o.Authority = oidc.Authority;
        o.ClientId = oidc.ClientId;
        o.ClientSecret = oidc.ClientSecret;
        o.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
        o.ResponseType = "code"; // with PKCE
        o.ResponseMode = "query"; // a redirect back, so Lax cookies (correlation, nonce, session) work
        o.CorrelationCookie.SameSite = SameSiteMode.Lax;
        o.NonceCookie.SameSite = SameSiteMode.Lax;
        o.MapInboundClaims = false;
        o.SaveTokens = false;
        o.Scope.Clear();
        o.Scope.Add("openid");
        o.Scope.Add("profile");
        foreach (var scope in oidc.Scopes)
            o.Scope.Add(scope);
        o.SignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
        o.Events.OnTokenValidated = async context =>
        {
            var session = await context.HttpContext.RequestServices.GetRequiredService<OidcSignIn>()
                .SessionForAsync(context.Principal!, Hosting.ClientAddress.Of(context.HttpContext), context.HttpContext.RequestAborted);
            if (session is null)
            {
                context.Fail("The identity provider gave this account no ControlRoom role.");
                return;
            }
            context.Principal = session;
            context.Properties!.ExpiresUtc = AccountClaims.ExpiresOf(session);
        };
        o.Events.OnRemoteFailure = context =>
        {
            context.Response.Redirect(AccountEndpoints.SignInPath + "?sso=failed");
            context.HandleResponse();
            return Task.CompletedTask;
        };
    }

    private static Task RedirectOrStatus(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Headers.Accept.Any(a => a?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true))
        {
            context.Response.Redirect(context.RedirectUri);
            return Task.CompletedTask;
        }
        context.Response.StatusCode = status;
        return context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context.HttpContext,
            ProblemDetails =
            {
                Status = status,
                Title = status == StatusCodes.Status401Unauthorized ? "Sign in first."
                    : AccountClaims.MustChange(context.HttpContext.User) ? "Change the password an administrator set first (/account/password)."
                    : "Your role may not use this.",
            },
        }).AsTask();
    }
}

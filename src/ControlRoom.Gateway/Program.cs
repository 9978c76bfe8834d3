using ControlRoom.Gateway;
using ControlRoom.Gateway.Access;

if (args is ["new-api-key", var keyName])
    return NewApiKey.Print(keyName, Console.Out);

// The gateway as its own service (docker-compose "gateway"); in embedded mode the web app maps it instead.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddGateway(builder.Configuration);

var app = builder.Build();
app.UseExceptionHandler();
// An API and a hub, no pages: nothing may be framed, sniffed or loaded from its responses.
app.Use((context, next) =>
{
    context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
    context.Response.Headers.XContentTypeOptions = "nosniff";
    context.Response.Headers["Referrer-Policy"] = "no-referrer";
    return next(context);
});
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.MapGateway();
app.Run();
return 0;

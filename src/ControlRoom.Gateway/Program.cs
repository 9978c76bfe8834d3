using ControlRoom.Gateway;

// The gateway as its own service (docker-compose "gateway"); in embedded mode the web app maps it instead.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddGateway(builder.Configuration);

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapGateway();
app.Run();

using ControlRoom.Web.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddRepositoryDevelopmentSettings(builder.Environment);
builder.AddControlRoomWeb();

var app = builder.Build();
if (!app.Environment.IsDevelopment())
    app.UseExceptionHandler("/error", createScopeForErrors: true); // Components/Pages/ErrorPage.razor
app.UseControlRoomWeb();
app.Run();

using ControlRoom.Storage;
using ControlRoom.Web.Features.Audit;
using ControlRoom.Web.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddRepositoryDevelopmentSettings(builder.Environment);
builder.AddControlRoomWeb();

var app = builder.Build();
if (args.Contains(AuditVerifyCommand.Name))
    return await AuditVerifyCommand.RunAsync(app.Services.GetRequiredService<IIncidentStore>(), Console.Out, CancellationToken.None);

if (!app.Environment.IsDevelopment())
    app.UseExceptionHandler("/error", createScopeForErrors: true); // Components/Pages/ErrorPage.razor
app.UseControlRoomWeb();
app.Run();
return 0;

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ControlRoom.EventStream;
using ControlRoom.Simulator;
using ControlRoom.Simulator.Sinks;

// The simulator as its own process (docker-compose "simulator"; also the load generator):
// posts to the gateway named by Gateway:Url; given ConnectionStrings:Redis it also reads the stream,
// so patrols drive to the incidents operators send them to.
var builder = Host.CreateApplicationBuilder(args);
var gateway = builder.Configuration["Gateway:Url"] ?? "http://localhost:5080/";
builder.Services.AddSimulator(builder.Configuration);
if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString("Redis")))
    builder.Services.AddEventStream(builder.Configuration);
builder.Services.AddHttpClient<IEventSink, HttpEventSink>(c => c.BaseAddress = new Uri(gateway.TrimEnd('/') + "/"));
builder.Build().Run();

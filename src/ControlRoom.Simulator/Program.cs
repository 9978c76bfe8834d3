using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ControlRoom.EventStream;
using ControlRoom.Simulator;
using ControlRoom.Simulator.Sinks;

// The simulator as its own process (docker-compose "simulator"; also the load generator):
// posts to the gateway named by Gateway:Url with the API key Gateway:Key (scoped to ingest); given
// ConnectionStrings:Redis it also reads the stream, so patrols drive to the incidents operators send them to.
var builder = Host.CreateApplicationBuilder(args);
var gateway = builder.Configuration["Gateway:Url"] ?? "http://localhost:5080/";
var key = builder.Configuration["Gateway:Key"];
if (string.IsNullOrWhiteSpace(key))
    throw new InvalidOperationException("Gateway:Key is not set: the simulator posts with an API key scoped to ingest (see 'new-api-key').");
builder.Services.AddSimulator(builder.Configuration);
if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString("Redis")))
    builder.Services.AddEventStream(builder.Configuration);
builder.Services.AddHttpClient<IEventSink, HttpEventSink>(c =>
{
    c.BaseAddress = new Uri(gateway.TrimEnd('/') + "/");
    c.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
});
builder.Build().Run();

using ControlRoom.Domain.Access;
using ControlRoom.Domain.Audit;
using ControlRoom.Domain.Geography;
using ControlRoom.Domain.Incidents.Kpis;
using ControlRoom.EventStream;
using ControlRoom.EventStream.InMemory;
using ControlRoom.Gateway.Ingest;
using ControlRoom.Simulator.Sinks;
using ControlRoom.Storage;
using ControlRoom.Storage.Embedded;
using ControlRoom.Web.Features.Access;
using ControlRoom.Web.Features.Incidents;
using ControlRoom.Web.Features.Operations;
using ControlRoom.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ControlRoom.Web.Tests;

internal static class IncidentTestServices
{
    /// <summary>
    /// The incident services components need, real ones: an embedded store in <paramref name="database"/>,
    /// an in-memory stream behind the same ingest path the app uses.
    /// </summary>
    /// <summary>A Polizia Locale operator (or another role) acting from the loopback address.</summary>
    public static Operator Op(string name, Role role = Role.PoliceOperator) => new(name, role, "127.0.0.1");

    /// <summary>An audit entry for a write that is not the subject of the test.</summary>
    public static AuditEntry Audited(string action = "test") => new(DateTimeOffset.UtcNow, "test", action, "test", "{}", "127.0.0.1");

    public static IServiceCollection AddRealIncidentServices(this IServiceCollection services, string database, TimeProvider clock, ZoneIndex zones)
    {
        services.AddSingleton(zones);
        services.AddSingleton<IIncidentStore>(new SqliteIncidentStore(database, clock));
        services.AddSingleton(Options.Create(new EventStreamOptions()));
        services.AddSingleton(Options.Create(new IngestOptions()));
        services.AddSingleton<IEventStream, InMemoryEventStream>();
        services.AddSingleton<EventIngestor>();
        services.AddSingleton<IEventSink, InProcessIngestSink>();
        services.AddSingleton<OutboxRelay>();
        services.AddSingleton<IncidentCommands>();
        services.AddSingleton<UnitCommands>();
        services.AddSingleton<AlertTriageCommands>();
        services.AddSingleton<IncidentViewers>();
        services.AddScoped<OperatorIdentity>();
        services.AddSingleton(new KpiCalculator(KpiTargets.Default));
        services.AddSingleton<KpiReport>();
        return services;
    }
}

using ControlRoom.Domain.Geography;
using ControlRoom.Domain.Incidents;
using ControlRoom.Domain.Units;
using ControlRoom.Simulator.Dispatch;
using ControlRoom.Simulator.Scenario;
using ControlRoom.Storage;
using ControlRoom.Web.Features.Incidents;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

using static ControlRoom.Web.Tests.IncidentTestServices;

namespace ControlRoom.Web.Tests.Incidents;

/// <summary>
/// A dispatch travels command → store → outbox → stream → the simulator's radio → the simulated car,
/// which drives to the incident; closing the incident sends it back. Real embedded store and stream.
/// </summary>
public sealed class PatrolDispatchTests : IAsyncDisposable
{
    private static readonly RosterUnit Car = new(new UnitId("PL-M9-A01"), UnitKind.PatrolCar, "Auto 1", "Comando 9", 9.19, 45.52, 9);
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"controlroom-patrol-{Guid.NewGuid():N}.db");
    private readonly ServiceProvider _services;

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public PatrolDispatchTests()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddRealIncidentServices(_database, TimeProvider.System, new ZoneIndex([], []));
        services.AddSingleton<DispatchOrders>();
        services.AddSingleton(sp => new DispatchListener(sp, sp.GetRequiredService<DispatchOrders>(), TimeProvider.System, NullLogger<DispatchListener>.Instance));
        _services = services.BuildServiceProvider();
    }

    private static double Metres(UnitPosition p, double lon, double lat) =>
        Distance.Metres(Milan.Point(p.Lon, p.Lat), Milan.Point(lon, lat));

    [Fact]
    public async Task DispatchedCar_DrivesToTheIncident_AndBackToItsBeatWhenTheIncidentCloses()
    {
        var store = _services.GetRequiredService<IIncidentStore>();
        await store.MigrateAsync(Ct);
        await store.SeedUnitsAsync([new Unit(Car.Id, Car.Kind, Car.Base, Milan.Point(Car.Lon, Car.Lat), UnitStatus.Available)], Ct);
        await _services.GetRequiredService<OutboxRelay>().StartAsync(Ct);
        await _services.GetRequiredService<DispatchListener>().StartAsync(Ct);
        var orders = _services.GetRequiredService<DispatchOrders>();
        var patrols = new PatrolMovement([Car], seed: 1, runId: "test");
        var commands = _services.GetRequiredService<IncidentCommands>();
        var (lon, lat) = (9.2200, 45.5300); // about 2.5 km east of the command
        await Task.Delay(200, Ct); // the listener starts reading at the stream's end

        var opened = await commands.OpenAsync(new OpenIncident("road-accident", null, IncidentSource.Patrol, lon, lat, "Tamponamento", null), Op("op"), Ct);
        var dispatched = await commands.DispatchAsync(opened.Incident, opened.Version, Car.Id, Op("op"), Ct);
        dispatched.Succeeded.ShouldBeTrue(dispatched.Refusal?.Message);

        for (var i = 0; i < 100 && Metres(patrols.Positions[0], lon, lat) > 20; i++)
        {
            await Task.Delay(20, Ct);
            orders.ApplyTo(patrols);
            patrols.Step(simSecondsElapsed: 60, realSecondsElapsed: 10);
        }
        Metres(patrols.Positions[0], lon, lat).ShouldBeLessThanOrEqualTo(20, "the car reached the incident");

        var closed = await commands.CancelAsync(opened.Incident, dispatched.Version, "Segnalazione doppia", Op("op"), Ct);
        closed.Succeeded.ShouldBeTrue(closed.Refusal?.Message);
        for (var i = 0; i < 100 && Metres(patrols.Positions[0], Car.Lon, Car.Lat) > 1_200; i++)
        {
            await Task.Delay(20, Ct);
            orders.ApplyTo(patrols);
            patrols.Step(simSecondsElapsed: 60, realSecondsElapsed: 10);
        }
        Metres(patrols.Positions[0], Car.Lon, Car.Lat).ShouldBeLessThanOrEqualTo(1_200, "the car drove back to its beat");
    }

    public async ValueTask DisposeAsync()
    {
        await _services.GetRequiredService<DispatchListener>().StopAsync(CancellationToken.None);
        await _services.GetRequiredService<OutboxRelay>().StopAsync(CancellationToken.None);
        await _services.DisposeAsync();
        foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(_database) + "*"))
            File.Delete(file);
    }
}

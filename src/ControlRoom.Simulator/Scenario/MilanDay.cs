using System.Globalization;
using System.Text.Json;
using ControlRoom.Domain.Events;
using ControlRoom.Domain.Geography;
using static ControlRoom.Simulator.Scenario.SimulatedSensor;

namespace ControlRoom.Simulator.Scenario;

/// <summary>
/// A day in Milan as sensors see it, as a function of simulated time of day: a Seveso flood wave in the
/// afternoon at Niguarda (the Lambro rises less), air pollution and traffic queues at rush hours, crowds
/// building at the Olympic venues for the evening, and random alarm and camera triggers. Readings go out
/// as observations; crossing a threshold raises an alert (and falling back below it says so).
/// </summary>
public sealed class MilanDay
{
    private const string Source = "/simulator/milan-day";
    private readonly IReadOnlyList<SimulatedSensor> _sensors;
    private readonly SimulatedSensor[] _triggerable;
    private readonly Dictionary<string, int> _band = [];
    private readonly Random _random;
    private readonly string _runId;
    private long _sequence;
    private int _next;

    public MilanDay(IReadOnlyList<SimulatedSensor> sensors, int seed, string runId)
    {
        _sensors = sensors;
        _triggerable = sensors.Where(s => s.Kind is Kinds.Alarm or Kinds.Camera).ToArray();
        _random = new Random(seed);
        _runId = runId;
    }

    /// <summary>The next <paramref name="observations"/> readings (round robin over sensors) and any alerts they raise.</summary>
    public List<EventEnvelope> Step(double simHour, int observations, double triggerProbability, DateTimeOffset now)
    {
        var events = new List<EventEnvelope>(observations + 2);
        for (var i = 0; i < observations && _sensors.Count > 0; i++)
        {
            var sensor = _sensors[_next];
            _next = (_next + 1) % _sensors.Count;
            if (sensor.Kind is Kinds.Alarm or Kinds.Camera)
                continue; // event-driven devices: no periodic reading
            var value = Reading(sensor, simHour);
            events.Add(Observation(sensor, value, now));
            if (Crossing(sensor, value) is { } alert)
                events.Add(Alert(sensor, alert.Severity, alert.Title, value, now));
        }
        if (_triggerable.Length > 0 && _random.NextDouble() < triggerProbability)
            events.Add(Trigger(_triggerable[_random.Next(_triggerable.Length)], now));
        return events;
    }

    public double Reading(SimulatedSensor sensor, double h) => sensor.Kind switch
    {
        Kinds.RiverLevel => RiverLevel(sensor, h),
        Kinds.AirQuality => Math.Round((sensor.Limit ?? 50) * (0.45 + (0.75 * Rush(h))) + Noise(4), 1),
        Kinds.Traffic => Math.Max(3, Math.Round((sensor.FreeFlowKmh ?? 50) * (1 - (0.8 * Rush(h) * (0.8 + (0.3 * _random.NextDouble())))), 0)),
        Kinds.Crowd => Math.Max(0, Math.Round((sensor.ThresholdPeople ?? 10_000) * ((1.2 * Bell(h, 20.0, 1.6)) + 0.05) + Noise(150), 0)),
        _ => 0,
    };

    private double RiverLevel(SimulatedSensor sensor, double h)
    {
        var baseline = sensor.BaselineCm ?? 50;
        var t = sensor.ThresholdsCm ?? new Thresholds(baseline * 2, baseline * 2.5, baseline * 4);
        // The Seveso wave overtops the alarm level; the Lambro peaks between pre-alarm and alarm.
        var peak = string.Equals(sensor.River, "Seveso", StringComparison.OrdinalIgnoreCase)
            ? (t.Alarm * 1.12) - baseline
            : ((t.PreAlarm + t.Alarm) / 2) - baseline;
        return Math.Round(baseline + (peak * Bell(h, 15.0, 2.2)) + Noise(1.5), 0);
    }

    private (Severity Severity, string Title)? Crossing(SimulatedSensor sensor, double value)
    {
        var (band, title) = Band(sensor, value);
        var previous = _band.GetValueOrDefault(sensor.Id);
        _band[sensor.Id] = band;
        if (band == previous)
            return null;
        if (band < previous)
            return (Severity.Info, $"{sensor.Name}: rientro sotto soglia ({Format(value)} {Unit(sensor)})");
        return (sensor.Kind switch
        {
            Kinds.RiverLevel => band switch { 1 => Severity.Moderate, 2 => Severity.Severe, _ => Severity.Extreme },
            Kinds.Crowd => Severity.Severe,
            Kinds.AirQuality => Severity.Moderate,
            _ => Severity.Minor,
        }, title);
    }

    private static (int Band, string Title) Band(SimulatedSensor sensor, double value)
    {
        switch (sensor.Kind)
        {
            case Kinds.RiverLevel:
                var t = sensor.ThresholdsCm!;
                return value >= t.Alarm ? (3, $"{sensor.Name}: {value:0} cm, oltre la soglia di allarme ({t.Alarm:0} cm)")
                    : value >= t.PreAlarm ? (2, $"{sensor.Name}: {value:0} cm, oltre la soglia di preallarme ({t.PreAlarm:0} cm)")
                    : value >= t.Attention ? (1, $"{sensor.Name}: {value:0} cm, oltre la soglia di attenzione ({t.Attention:0} cm)")
                    : (0, "");
            case Kinds.AirQuality:
                return value > (sensor.Limit ?? 50)
                    ? (1, $"{sensor.Pollutant ?? "PM10"} a {sensor.Name}: {Format(value)} µg/m³, oltre il limite ({sensor.Limit:0})")
                    : (0, "");
            case Kinds.Traffic:
                return value < 0.35 * (sensor.FreeFlowKmh ?? 50)
                    ? (1, $"Coda in {sensor.Name}: velocità media {value:0} km/h")
                    : (0, "");
            case Kinds.Crowd:
                return value > (sensor.ThresholdPeople ?? 10_000)
                    ? (1, $"Affollamento {sensor.Name}: circa {value:N0} persone")
                    : (0, "");
            default:
                return (0, "");
        }
    }

    private static readonly (string Title, Severity Severity)[] AlarmTriggers =
    [
        ("Allarme intrusione", Severity.Severe),
        ("Allarme antincendio", Severity.Severe),
        ("Allarme manomissione", Severity.Moderate),
    ];

    private static readonly (string Title, Severity Severity)[] CameraTriggers =
    [
        ("Oggetto abbandonato rilevato", Severity.Moderate),
        ("Assembramento rilevato", Severity.Moderate),
        ("Veicolo contromano rilevato", Severity.Severe),
        ("Telecamera non raggiungibile", Severity.Minor),
    ];

    private EventEnvelope Trigger(SimulatedSensor sensor, DateTimeOffset now)
    {
        var options = sensor.Kind == Kinds.Alarm ? AlarmTriggers : CameraTriggers;
        var (title, severity) = options[_random.Next(options.Length)];
        return Alert(sensor, severity, $"{title}: {sensor.Name}", null, now);
    }

    private EventEnvelope Observation(SimulatedSensor sensor, double value, DateTimeOffset now) =>
        Envelope(EventTypes.SensorObservationRecorded, sensor, Severity.Info, now, new Dictionary<string, object?>
        {
            ["sensorId"] = sensor.Id,
            ["kind"] = sensor.Kind,
            ["name"] = sensor.Name,
            ["value"] = value,
            ["unit"] = Unit(sensor),
        });

    private EventEnvelope Alert(SimulatedSensor sensor, Severity severity, string title, double? value, DateTimeOffset now) =>
        Envelope(EventTypes.SensorAlertRaised, sensor, severity, now, new Dictionary<string, object?>
        {
            ["title"] = title,
            ["sensorId"] = sensor.Id,
            ["kind"] = sensor.Kind,
            ["name"] = sensor.Name,
            ["value"] = value,
            ["unit"] = value is null ? null : Unit(sensor),
        });

    private EventEnvelope Envelope(string type, SimulatedSensor sensor, Severity severity, DateTimeOffset now, Dictionary<string, object?> data) =>
        new()
        {
            Id = string.Create(CultureInfo.InvariantCulture, $"sim-{_runId}-{++_sequence}"),
            Source = Source,
            Type = type,
            Time = now,
            Subject = sensor.Id,
            Severity = severity,
            Visibility = Visibility.Operations,
            Location = Milan.Point(sensor.Lon, sensor.Lat),
            Data = JsonSerializer.SerializeToElement(data),
        };

    private static string Unit(SimulatedSensor sensor) => sensor.Kind switch
    {
        Kinds.RiverLevel => "cm",
        Kinds.AirQuality => "µg/m³",
        Kinds.Traffic => "km/h",
        Kinds.Crowd => "persone",
        _ => sensor.Unit ?? "",
    };

    private static string Format(double value) => value.ToString("0.#", CultureInfo.GetCultureInfo("it-IT"));

    private static double Rush(double h) => Math.Min(1, Bell(h, 8.5, 1.3) + Bell(h, 18.3, 1.7));

    private static double Bell(double h, double centre, double width) => Math.Exp(-Math.Pow((h - centre) / width, 2));

    private double Noise(double amplitude) => (_random.NextDouble() * 2 - 1) * amplitude;
}

using System.ComponentModel.DataAnnotations;

namespace ControlRoom.Simulator;

public sealed class SimulatorOptions
{
    public const string Section = "Simulator";

    public bool Enabled { get; set; } = true;

    /// <summary>Sensor readings per second of real time (the load generator turns this up).</summary>
    [Range(0.1, 1_000_000)]
    public double EventsPerSecond { get; set; } = 4;

    /// <summary>Simulated seconds per real second: 60 plays the day in 24 minutes.</summary>
    [Range(1, 86_400)]
    public double TimeScale { get; set; } = 60;

    /// <summary>Time of day (hours) the simulated day starts at: early afternoon, as the Seveso starts to rise.</summary>
    [Range(0, 24)]
    public double StartHour { get; set; } = 12.5;

    /// <summary>Mean real seconds between random alarm/camera triggers.</summary>
    [Range(0.1, 86_400)]
    public double TriggerEverySeconds { get; set; } = 3;

    /// <summary>Real seconds between two position reports of the same unit (spread across ticks).</summary>
    [Range(0.5, 3_600)]
    public double UnitPositionEverySeconds { get; set; } = 5;

    /// <summary>Real seconds between two health reports of the same critical system; 0 plays no systems.</summary>
    [Range(0, 3_600)]
    public double SystemReportEverySeconds { get; set; } = 10;

    [Range(10, 10_000)]
    public int TickMilliseconds { get; set; } = 250;

    public int Seed { get; set; } = 2026;
}

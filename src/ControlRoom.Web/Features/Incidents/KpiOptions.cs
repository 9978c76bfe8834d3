using ControlRoom.Domain.Incidents;
using ControlRoom.Domain.Incidents.Kpis;
using Microsoft.Extensions.Options;

namespace ControlRoom.Web.Features.Incidents;

/// <summary>
/// KPI targets from configuration, keyed "priority-measure" (e.g. "Kpis:Targets:P1-TimeToDispatch"), so
/// a deployment's settings change or add one target without restating the others (configuration merges
/// keys; it would merge a list by position). "Enabled": false removes one. appsettings.json states the
/// defaults; without the section the code's defaults apply. An invalid target stops the start.
/// </summary>
public sealed class KpiOptions
{
    public const string Section = "Kpis";

    public Dictionary<string, KpiTargetSetting>? Targets { get; set; }

    public KpiTargets Build() =>
        Targets is null ? KpiTargets.Default : new(Targets.Where(t => t.Value.Enabled).Select(t => Target(t.Key, t.Value)));

    private static KpiTarget Target(string key, KpiTargetSetting setting)
    {
        var parts = key.Split('-', 2);
        if (parts.Length != 2 || !Enum.TryParse<Priority>(parts[0], out var priority) || !Enum.TryParse<KpiMeasure>(parts[1], out var measure))
            throw new ArgumentException($"'{key}' is not a target name like 'P1-TimeToDispatch'.", nameof(key));
        return new KpiTarget(measure, priority, setting.Threshold, setting.RequiredShare);
    }

    public sealed class KpiTargetSetting
    {
        public bool Enabled { get; set; } = true;

        /// <summary>e.g. "00:01:00" for 60 s.</summary>
        public TimeSpan Threshold { get; set; }

        /// <summary>e.g. 0.9 for 90 %.</summary>
        public double RequiredShare { get; set; }
    }

    /// <summary>Checks the targets by building them: the domain's own rules, with its messages.</summary>
    public sealed class Validator : IValidateOptions<KpiOptions>
    {
        public ValidateOptionsResult Validate(string? name, KpiOptions options)
        {
            try
            {
                options.Build();
                return ValidateOptionsResult.Success;
            }
            catch (ArgumentException e)
            {
                return ValidateOptionsResult.Fail($"{Section}:Targets: {e.Message}");
            }
        }
    }
}

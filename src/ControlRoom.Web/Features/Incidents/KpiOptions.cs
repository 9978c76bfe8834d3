using ControlRoom.Domain.Incidents;
using ControlRoom.Domain.Incidents.Kpis;
using Microsoft.Extensions.Options;

namespace ControlRoom.Web.Features.Incidents;

/// <summary>
/// KPI targets from configuration ("Kpis:Targets"); appsettings.json carries the defaults. Without the
/// section the code's defaults apply. An invalid target stops the start with the reason.
/// </summary>
public sealed class KpiOptions
{
    public const string Section = "Kpis";

    public List<KpiTargetSetting>? Targets { get; set; }

    public KpiTargets Build() =>
        Targets is null ? KpiTargets.Default : new(Targets.Select(t => new KpiTarget(t.Measure, t.Priority, t.Threshold, t.RequiredShare)));

    public sealed class KpiTargetSetting
    {
        public KpiMeasure Measure { get; set; }
        public Priority Priority { get; set; }

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

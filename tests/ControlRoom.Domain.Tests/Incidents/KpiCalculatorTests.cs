using ControlRoom.Domain.Geography;
using ControlRoom.Domain.Incidents;
using ControlRoom.Domain.Incidents.Kpis;
using ControlRoom.Domain.Units;

namespace ControlRoom.Domain.Tests.Incidents;

public class KpiCalculatorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 14, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Later = T0.AddDays(1);
    private const string Operator = "op.rossi";

    private static readonly Unit Available = new(new UnitId("PL-M1-A01"), UnitKind.PatrolCar, "Comando Municipio 1", Milan.Point(9.19, 45.46), UnitStatus.Available);

    /// <summary>One incident's log, written with times in seconds after it was opened.</summary>
    private sealed class Log
    {
        private readonly IncidentId _id = IncidentId.New();
        private readonly DateTimeOffset _opened;
        private readonly List<IncidentEvent> _events = [];

        public Log(Priority priority, DateTimeOffset? opened = null)
        {
            _opened = opened ?? T0;
            _events.Add(new IncidentOpened(_id, _opened, Operator, "flooding", priority, IncidentSource.Manual,
                Milan.Point(9.19, 45.46), 1, null, "Allagamento", null, []));
        }

        public IReadOnlyList<IncidentEvent> Events => _events;

        private DateTimeOffset At(double seconds) => _opened.AddSeconds(seconds);

        public Log Ack(double s) => Add(new IncidentAcknowledged(_id, At(s), Operator));
        public Log Dispatch(double s, string unit = "PL-M1-A01") => Add(new UnitDispatched(_id, At(s), Operator, new UnitId(unit)));
        public Log Arrive(double s, string unit = "PL-M1-A01") => Add(new UnitArrived(_id, At(s), Operator, new UnitId(unit)));
        public Log Reprioritise(double s, Priority p) => Add(new PriorityChanged(_id, At(s), Operator, p));
        public Log Cancel(double s) => Add(new IncidentCancelled(_id, At(s), Operator, "duplicato"));
        public Log Unfounded(double s) => Add(new IncidentUnfounded(_id, At(s), Operator, "falso allarme"));
        public Log Close(double s) => Add(new IncidentResolved(_id, At(s), Operator)).Add(new IncidentClosed(_id, At(s), Operator, "Risolto"));

        private Log Add(IncidentEvent e)
        {
            _events.Add(e);
            return this;
        }
    }

    private static IReadOnlyList<KpiResult> Calculate(IEnumerable<Log> logs, DateTimeOffset? now = null, KpiTargets? targets = null) =>
        new KpiCalculator(targets ?? KpiTargets.Default).Calculate(logs.Select(l => l.Events), T0.AddHours(-1), T0.AddHours(1), now ?? Later);

    private static KpiResult Row(IReadOnlyList<KpiResult> results, KpiMeasure measure, Priority priority = Priority.P1) =>
        results.Single(r => r.Measure == measure && r.Priority == priority);

    private static Incident With(Incident incident, Decision decision)
    {
        decision.Refusal.ShouldBeNull();
        incident.Apply(decision.Event!);
        return incident;
    }

    [Fact]
    public void TimeToAcknowledge_IsOpenedToFirstAcknowledgement()
    {
        var row = Row(Calculate([new Log(Priority.P1).Ack(20).Dispatch(50)]), KpiMeasure.TimeToAcknowledge);

        row.Measured.ShouldBe(1);
        row.Median.ShouldBe(TimeSpan.FromSeconds(20));
        row.P90.ShouldBe(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public void TimeToAcknowledge_WhenDispatchedWithoutAcknowledging_IsTheFirstDispatch()
    {
        var (incident, _) = Incident.Open(IncidentId.New(), T0, Operator, "flooding", Priority.P1, IncidentSource.SensorAlert,
            Milan.Point(9.1922, 45.5258), 9, "NIGUARDA", "Allagamento via Valfurva", null);
        With(incident!, incident!.Dispatch(Available, T0.AddSeconds(45), Operator));

        var results = new KpiCalculator(KpiTargets.Default).Calculate([incident], T0, T0.AddHours(1), Later);

        Row(results, KpiMeasure.TimeToAcknowledge).Median.ShouldBe(TimeSpan.FromSeconds(45));
        Row(results, KpiMeasure.TimeToDispatch).Median.ShouldBe(TimeSpan.FromSeconds(45));
    }

    [Fact]
    public void TimeToDispatch_IsOpenedToTheFirstDispatch_NotLaterOnes()
    {
        var row = Row(Calculate([new Log(Priority.P1).Ack(10).Dispatch(50).Dispatch(300, "PL-M1-A02")]), KpiMeasure.TimeToDispatch);

        row.Measured.ShouldBe(1);
        row.Median.ShouldBe(TimeSpan.FromSeconds(50));
    }

    [Fact]
    public void TimeToArrive_IsFirstDispatchToFirstArrival()
    {
        var log = new Log(Priority.P1).Ack(10).Dispatch(40).Dispatch(100, "PL-M1-A02")
            .Arrive(420, "PL-M1-A02").Arrive(540);

        var row = Row(Calculate([log]), KpiMeasure.TimeToArrive);

        row.Measured.ShouldBe(1);
        row.Median.ShouldBe(TimeSpan.FromSeconds(380));
        row.WithinThreshold.ShouldBe(1);
        row.Verdict.ShouldBe(KpiVerdict.Met);
    }

    [Fact]
    public void TimeToClose_IsOpenedToClosed_AndHasNoDefaultTarget()
    {
        var (incident, _) = Incident.Open(IncidentId.New(), T0, Operator, "flooding", Priority.P2, IncidentSource.SensorAlert,
            Milan.Point(9.1922, 45.5258), 9, "NIGUARDA", "Allagamento via Valfurva", null);
        var i = incident!;
        With(i, i.Acknowledge(T0.AddSeconds(15), Operator));
        With(i, i.Dispatch(Available, T0.AddSeconds(70), Operator));
        With(i, i.Arrive(Available.Id, T0.AddMinutes(9), Operator));
        With(i, i.Resolve(T0.AddMinutes(80), Operator));
        With(i, i.Close("Acqua defluita, strada riaperta", T0.AddHours(2), Operator));

        var row = Row(new KpiCalculator(KpiTargets.Default).Calculate([i], T0, T0.AddHours(1), Later), KpiMeasure.TimeToClose, Priority.P2);

        row.Measured.ShouldBe(1);
        row.Median.ShouldBe(TimeSpan.FromHours(2));
        row.Target.ShouldBeNull();
        row.Verdict.ShouldBe(KpiVerdict.NoTarget);
        row.Share.ShouldBeNull();
    }

    [Theory]
    [InlineData(new[] { 7 }, 7, 7)]
    [InlineData(new[] { 10, 20, 30, 40 }, 20, 40)]
    [InlineData(new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 5, 9)]
    [InlineData(new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20 }, 10, 18)]
    [InlineData(new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 }, 6, 10)]
    public void NearestRank_OnKnownSets_PicksTheObservedValueAtCeilingRank(int[] seconds, int median, int p90)
    {
        var sorted = seconds.Select(s => TimeSpan.FromSeconds(s)).ToList();

        KpiCalculator.NearestRank(sorted, 50).ShouldBe(TimeSpan.FromSeconds(median));
        KpiCalculator.NearestRank(sorted, 90).ShouldBe(TimeSpan.FromSeconds(p90));
        KpiCalculator.NearestRank(sorted, 100).ShouldBe(sorted[^1]);
    }

    [Fact]
    public void Calculate_SortsDurationsBeforeTakingPercentiles()
    {
        int[] seconds = [50, 10, 40, 20, 30];
        var logs = seconds.Select(s => new Log(Priority.P1).Dispatch(s));

        var row = Row(Calculate(logs), KpiMeasure.TimeToDispatch);

        row.Median.ShouldBe(TimeSpan.FromSeconds(30));
        row.P90.ShouldBe(TimeSpan.FromSeconds(50));
    }

    [Fact]
    public void PendingDispatch_OlderThanTheThreshold_CountsAsAMiss()
    {
        var logs = new[] { new Log(Priority.P1).Dispatch(30), new Log(Priority.P1).Ack(5) };

        var row = Row(Calculate(logs, now: T0.AddMinutes(2)), KpiMeasure.TimeToDispatch);

        row.Measured.ShouldBe(1);
        row.Pending.ShouldBe(1);
        row.Overdue.ShouldBe(1);
        row.Counted.ShouldBe(2);
        row.Missed.ShouldBe(1);
        row.Share.ShouldBe(0.5);
        row.Verdict.ShouldBe(KpiVerdict.NotMet);
        row.Median.ShouldBe(TimeSpan.FromSeconds(30)); // percentiles only over what has been measured
    }

    [Theory]
    [InlineData(30)]
    [InlineData(60)]
    public void PendingDispatch_NotOlderThanTheThreshold_IsNotCountedYet(int ageSeconds)
    {
        var logs = new[] { new Log(Priority.P1).Dispatch(30), new Log(Priority.P1).Ack(5) };

        var row = Row(Calculate(logs, now: T0.AddSeconds(ageSeconds)), KpiMeasure.TimeToDispatch);

        row.Pending.ShouldBe(1);
        row.Overdue.ShouldBe(0);
        row.Counted.ShouldBe(1);
        row.Share.ShouldBe(1.0);
        row.Verdict.ShouldBe(KpiVerdict.Met);
    }

    [Fact]
    public void OnlyPendingIncidents_YoungerThanTheThreshold_GiveNoData()
    {
        var row = Row(Calculate([new Log(Priority.P1)], now: T0.AddSeconds(10)), KpiMeasure.TimeToDispatch);

        row.Pending.ShouldBe(1);
        row.Share.ShouldBeNull();
        row.Median.ShouldBeNull();
        row.Verdict.ShouldBe(KpiVerdict.NoData);
    }

    [Fact]
    public void PendingArrival_CountsFromTheFirstDispatch()
    {
        var log = new Log(Priority.P1).Dispatch(60);

        var young = Row(Calculate([log], now: T0.AddMinutes(8)), KpiMeasure.TimeToArrive);
        var old = Row(Calculate([log], now: T0.AddMinutes(10)), KpiMeasure.TimeToArrive);

        young.Overdue.ShouldBe(0); // 7 min since dispatch
        young.Verdict.ShouldBe(KpiVerdict.NoData);
        old.Overdue.ShouldBe(1); // 9 min since dispatch
        old.Verdict.ShouldBe(KpiVerdict.NotMet);
    }

    [Fact]
    public void Dispatch_AtExactlyTheThreshold_IsWithin_AndOneTickLaterIsNot()
    {
        var onTime = new Log(Priority.P1).Dispatch(60);
        var late = new Log(Priority.P1).Dispatch(60.001);

        var row = Row(Calculate([onTime, late]), KpiMeasure.TimeToDispatch);

        row.WithinThreshold.ShouldBe(1);
        row.Missed.ShouldBe(1);
    }

    [Fact]
    public void EventsAfterNow_AreNotSeenYet()
    {
        var row = Row(Calculate([new Log(Priority.P1).Dispatch(90)], now: T0.AddSeconds(75)), KpiMeasure.TimeToDispatch);

        row.Measured.ShouldBe(0);
        row.Overdue.ShouldBe(1);
    }

    [Fact]
    public void Window_IncludesItsStart_AndExcludesItsEnd()
    {
        var from = T0;
        var to = T0.AddHours(1);
        var logs = new[] { from.AddSeconds(-1), from, to.AddSeconds(-1), to }
            .Select(opened => new Log(Priority.P1, opened).Dispatch(30).Events);

        var row = Row(new KpiCalculator(KpiTargets.Default).Calculate(logs, from, to, Later), KpiMeasure.TimeToDispatch);

        row.Measured.ShouldBe(2);
    }

    [Fact]
    public void Cancelled_KeepsItsAcknowledgement_ButLeavesDispatchArriveAndClose()
    {
        var log = new Log(Priority.P1).Ack(10).Dispatch(50).Cancel(70);

        var results = Calculate([log]);

        Row(results, KpiMeasure.TimeToAcknowledge).Measured.ShouldBe(1);
        foreach (var measure in new[] { KpiMeasure.TimeToDispatch, KpiMeasure.TimeToArrive, KpiMeasure.TimeToClose })
        {
            var row = Row(results, measure);
            (row.Measured, row.Pending, row.Overdue).ShouldBe((0, 0, 0));
        }
    }

    [Fact]
    public void Unfounded_BeforeAnyDispatch_IsNeverAnOverdueDispatch()
    {
        var results = Calculate([new Log(Priority.P1).Ack(20).Unfounded(40)], now: T0.AddHours(1));

        Row(results, KpiMeasure.TimeToAcknowledge).Median.ShouldBe(TimeSpan.FromSeconds(20));
        var dispatch = Row(results, KpiMeasure.TimeToDispatch);
        (dispatch.Measured, dispatch.Pending, dispatch.Overdue).ShouldBe((0, 0, 0));
    }

    [Fact]
    public void Cancelled_BeforeAcknowledgement_IsLeftOutOfAcknowledgeToo()
    {
        var row = Row(Calculate([new Log(Priority.P1).Cancel(45)], now: T0.AddHours(1)), KpiMeasure.TimeToAcknowledge);

        (row.Measured, row.Pending, row.Overdue).ShouldBe((0, 0, 0));
    }

    [Theory]
    [InlineData(10, KpiVerdict.Met)]
    [InlineData(9, KpiVerdict.Met)]
    [InlineData(8, KpiVerdict.NotMet)]
    public void DefaultTarget_NinetyPercentOfP1DispatchedWithin60s(int onTime, KpiVerdict expected)
    {
        var logs = Enumerable.Range(0, 10).Select(i => new Log(Priority.P1).Dispatch(i < onTime ? 45 : 75));

        var row = Row(Calculate(logs), KpiMeasure.TimeToDispatch);

        row.Target.ShouldBe(new KpiTarget(KpiMeasure.TimeToDispatch, Priority.P1, TimeSpan.FromSeconds(60), 0.90));
        row.Counted.ShouldBe(10);
        row.WithinThreshold.ShouldBe(onTime);
        row.Verdict.ShouldBe(expected);
    }

    [Fact]
    public void DefaultTarget_NineOnTimeAndOneStillUndispatchedPastTheThreshold_IsMet()
    {
        var logs = Enumerable.Range(0, 9).Select(_ => new Log(Priority.P1).Dispatch(45)).Append(new Log(Priority.P1).Ack(5));

        var row = Row(Calculate(logs, now: T0.AddMinutes(3)), KpiMeasure.TimeToDispatch);

        (row.Measured, row.Overdue, row.WithinThreshold).ShouldBe((9, 1, 9));
        row.Verdict.ShouldBe(KpiVerdict.Met);
    }

    [Fact]
    public void Priority_IsTheOneAfterReclassification()
    {
        var results = Calculate([new Log(Priority.P3).Ack(10).Reprioritise(20, Priority.P1).Dispatch(40)]);

        Row(results, KpiMeasure.TimeToDispatch, Priority.P1).Measured.ShouldBe(1);
        Row(results, KpiMeasure.TimeToDispatch, Priority.P3).Measured.ShouldBe(0);
    }

    [Fact]
    public void Calculate_ReportsEveryPriorityAndMeasure_WithVerdictOnlyWhereATargetExists()
    {
        var results = Calculate([new Log(Priority.P3).Dispatch(600)]);

        results.Count.ShouldBe(16);
        results.Select(r => (r.Priority, r.Measure)).ShouldBeUnique();
        var p3 = Row(results, KpiMeasure.TimeToDispatch, Priority.P3);
        p3.Median.ShouldBe(TimeSpan.FromMinutes(10));
        p3.Verdict.ShouldBe(KpiVerdict.NoTarget);
        p3.Share.ShouldBeNull();
    }

    [Fact]
    public void CustomTargets_ReplaceTheDefaults()
    {
        var targets = new KpiTargets([new KpiTarget(KpiMeasure.TimeToClose, Priority.P2, TimeSpan.FromHours(1), 0.5)]);
        var logs = new[] { new Log(Priority.P2).Dispatch(30).Arrive(300).Close(1800), new Log(Priority.P2).Dispatch(30).Arrive(300).Close(7200) };

        var results = Calculate(logs, targets: targets);

        Row(results, KpiMeasure.TimeToClose, Priority.P2).Verdict.ShouldBe(KpiVerdict.Met);
        Row(results, KpiMeasure.TimeToDispatch, Priority.P2).Verdict.ShouldBe(KpiVerdict.NoTarget);
    }

    [Fact]
    public void Targets_WithTwoForTheSameMeasureAndPriority_AreRefused()
    {
        var twice = new KpiTarget(KpiMeasure.TimeToDispatch, Priority.P1, TimeSpan.FromSeconds(60), 0.9);

        Should.Throw<ArgumentException>(() => new KpiTargets([twice, twice with { }]));
    }

    [Theory]
    [InlineData(0, 0.9)]
    [InlineData(60, 0)]
    [InlineData(60, 1.1)]
    public void Target_WithNonPositiveThresholdOrShareOutsideZeroToOne_IsRefused(int seconds, double share) =>
        Should.Throw<ArgumentOutOfRangeException>(() => new KpiTarget(KpiMeasure.TimeToDispatch, Priority.P1, TimeSpan.FromSeconds(seconds), share));

    [Fact]
    public void Timeline_NotStartingWithOpened_IsRefused() =>
        Should.Throw<ArgumentException>(() => new KpiCalculator(KpiTargets.Default)
            .Calculate([new Log(Priority.P1).Ack(5).Events.Skip(1).ToList()], T0, Later, Later));
}

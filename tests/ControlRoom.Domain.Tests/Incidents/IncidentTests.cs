using ControlRoom.Domain.Geography;
using ControlRoom.Domain.Incidents;
using ControlRoom.Domain.Units;

namespace ControlRoom.Domain.Tests.Incidents;

public class IncidentTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 14, 0, 0, TimeSpan.Zero);
    private const string Operator = "op.rossi";

    private static readonly Unit Available = new(new UnitId("PL-M1-A01"), UnitKind.PatrolCar, "Comando Municipio 1", Milan.Point(9.19, 45.46), UnitStatus.Available);

    private static Incident NewIncident(string type = "flooding", Priority? priority = null)
    {
        var (incident, refusal) = Incident.Open(IncidentId.New(), T0, Operator, type, priority, IncidentSource.SensorAlert,
            Milan.Point(9.1922, 45.5258), 9, "NIGUARDA", "Allagamento via Valfurva", null, ["/sim\nalert-1"]);
        refusal.ShouldBeNull();
        return incident!;
    }

    private static Incident With(Incident incident, Decision decision)
    {
        decision.Refusal.ShouldBeNull();
        incident.Apply(decision.Event!);
        return incident;
    }

    private static Incident InState(IncidentStatus status)
    {
        var i = NewIncident();
        if (status == IncidentStatus.New) return i;
        With(i, i.Acknowledge(T0, Operator));
        if (status == IncidentStatus.Acknowledged) return i;
        if (status == IncidentStatus.Cancelled) return With(i, i.Cancel("duplicato", T0, Operator));
        if (status == IncidentStatus.Unfounded) return With(i, i.MarkUnfounded("falso allarme", T0, Operator));
        With(i, i.Dispatch(Available, T0, Operator));
        if (status == IncidentStatus.Dispatched) return i;
        With(i, i.Arrive(Available.Id, T0, Operator));
        if (status == IncidentStatus.OnScene) return i;
        With(i, i.Resolve(T0, Operator));
        if (status == IncidentStatus.Resolved) return i;
        return With(i, i.Close("Acqua defluita, strada riaperta", T0, Operator));
    }

    [Fact]
    public void Open_TakesTheTypesDefaultPriority_AndStartsNew()
    {
        var incident = NewIncident();

        incident.Status.ShouldBe(IncidentStatus.New);
        incident.Priority.ShouldBe(Priority.P1);
        incident.Type.ShouldBe(IncidentTypes.Flooding);
        incident.Version.ShouldBe(1);
        incident.AlertKeys.ShouldBe(["/sim\nalert-1"]);
        incident.Timeline.Single().ShouldBeOfType<IncidentOpened>().By.ShouldBe(Operator);
    }

    [Theory]
    [InlineData("nonsense", "Titolo", 9.19, 45.46, "unknown-type")]
    [InlineData("flooding", " ", 9.19, 45.46, "invalid-title")]
    [InlineData("flooding", "Titolo", 190, 45.46, "invalid-location")]
    [InlineData("flooding", "Titolo", 9.19, -91, "invalid-location")]
    public void Open_WithBadInput_IsRefused(string type, string title, double lon, double lat, string code)
    {
        var (incident, refusal) = Incident.Open(IncidentId.New(), T0, Operator, type, null, IncidentSource.Manual,
            Milan.Point(lon, lat), null, null, title, null);

        incident.ShouldBeNull();
        refusal!.Code.ShouldBe(code);
    }

    [Fact]
    public void FullLife_NewToClosed_RecordsEveryStepInTheTimeline()
    {
        var incident = InState(IncidentStatus.Closed);

        incident.Status.ShouldBe(IncidentStatus.Closed);
        incident.Outcome.ShouldBe("Acqua defluita, strada riaperta");
        incident.Timeline.Select(e => e.GetType().Name).ShouldBe(
            ["IncidentOpened", "IncidentAcknowledged", "UnitDispatched", "UnitArrived", "IncidentResolved", "IncidentClosed"]);
        incident.Version.ShouldBe(6);
    }

    [Fact]
    public void Replay_RebuildsTheSameState()
    {
        var original = InState(IncidentStatus.OnScene);

        var replayed = Incident.Replay(original.Timeline);

        replayed.Status.ShouldBe(original.Status);
        replayed.Version.ShouldBe(original.Version);
        replayed.UnitsOnScene.ShouldBe(original.UnitsOnScene);
        replayed.Title.ShouldBe(original.Title);
    }

    [Fact]
    public void Dispatch_FromNew_AcknowledgesByDispatching()
    {
        var incident = NewIncident();

        With(incident, incident.Dispatch(Available, T0, Operator));

        incident.Status.ShouldBe(IncidentStatus.Dispatched);
        incident.AssignedUnits.ShouldBe([Available.Id]);
    }

    [Theory]
    [InlineData(UnitStatus.EnRoute)]
    [InlineData(UnitStatus.OnScene)]
    [InlineData(UnitStatus.Busy)]
    [InlineData(UnitStatus.OffDuty)]
    public void Dispatch_WhenUnitNotAvailable_IsRefused(UnitStatus status)
    {
        var incident = InState(IncidentStatus.Acknowledged);

        var decision = incident.Dispatch(Available with { Status = status }, T0, Operator);

        decision.Refusal!.Code.ShouldBe("unit-not-available");
        incident.Status.ShouldBe(IncidentStatus.Acknowledged);
    }

    [Fact]
    public void Dispatch_SameUnitTwice_IsRefused()
    {
        var incident = InState(IncidentStatus.Dispatched);

        incident.Dispatch(Available, T0, Operator).Refusal!.Code.ShouldBe("unit-already-assigned");
    }

    [Fact]
    public void Release_LastUnit_ReturnsTheIncidentToAcknowledged()
    {
        var incident = InState(IncidentStatus.OnScene);

        With(incident, incident.Release(Available.Id, T0, Operator));

        incident.Status.ShouldBe(IncidentStatus.Acknowledged);
        incident.AssignedUnits.ShouldBeEmpty();
    }

    [Fact]
    public void Release_OneOfTwoUnitsOnScene_KeepsItOnScene()
    {
        var incident = InState(IncidentStatus.OnScene);
        var second = Available with { Id = new UnitId("PL-M1-M02"), Kind = UnitKind.Motorcycle };
        With(incident, incident.Dispatch(second, T0, Operator));

        With(incident, incident.Release(second.Id, T0, Operator));

        incident.Status.ShouldBe(IncidentStatus.OnScene);
    }

    [Fact]
    public void Close_WithoutOutcome_IsRefused()
    {
        var incident = InState(IncidentStatus.Resolved);

        incident.Close("  ", T0, Operator).Refusal!.Code.ShouldBe("outcome-required");
        incident.Status.ShouldBe(IncidentStatus.Resolved);
    }

    public static TheoryData<IncidentStatus, string> Refused => new()
    {
        { IncidentStatus.Acknowledged, "acknowledge" },
        { IncidentStatus.Closed, "acknowledge" },
        { IncidentStatus.New, "arrive" },
        { IncidentStatus.Acknowledged, "arrive" },
        { IncidentStatus.New, "resolve" },
        { IncidentStatus.Dispatched, "resolve" },
        { IncidentStatus.OnScene, "close" },
        { IncidentStatus.Acknowledged, "close" },
        { IncidentStatus.Resolved, "cancel" },
        { IncidentStatus.Closed, "cancel" },
        { IncidentStatus.Cancelled, "unfounded" },
        { IncidentStatus.Closed, "dispatch" },
        { IncidentStatus.Resolved, "dispatch" },
        { IncidentStatus.Unfounded, "note" },
        { IncidentStatus.Closed, "priority" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Command_InTheWrongState_IsRefusedAndChangesNothing(IncidentStatus state, string command)
    {
        var incident = InState(state);
        var version = incident.Version;

        var decision = command switch
        {
            "acknowledge" => incident.Acknowledge(T0, Operator),
            "arrive" => incident.Arrive(Available.Id, T0, Operator),
            "resolve" => incident.Resolve(T0, Operator),
            "close" => incident.Close("esito", T0, Operator),
            "cancel" => incident.Cancel("motivo", T0, Operator),
            "unfounded" => incident.MarkUnfounded("motivo", T0, Operator),
            "dispatch" => incident.Dispatch(Available with { Id = new UnitId("PL-X") }, T0, Operator),
            "note" => incident.AddNote("nota", T0, Operator),
            "priority" => incident.ChangePriority(Priority.P4, T0, Operator),
            _ => throw new ArgumentOutOfRangeException(nameof(command)),
        };

        decision.Accepted.ShouldBeFalse();
        decision.Refusal!.Code.ShouldBe("invalid-transition");
        incident.Status.ShouldBe(state);
        incident.Version.ShouldBe(version);
    }

    [Theory]
    [InlineData(IncidentStatus.New)]
    [InlineData(IncidentStatus.Acknowledged)]
    [InlineData(IncidentStatus.Dispatched)]
    [InlineData(IncidentStatus.OnScene)]
    public void CancelAndUnfounded_AreAllowedBeforeResolution(IncidentStatus state)
    {
        InState(state).Cancel("doppione", T0, Operator).Event.ShouldBeOfType<IncidentCancelled>();
        InState(state).MarkUnfounded("nessun riscontro", T0, Operator).Event.ShouldBeOfType<IncidentUnfounded>();
    }

    [Fact]
    public void Cancel_WithoutReason_IsRefused() =>
        InState(IncidentStatus.New).Cancel("", T0, Operator).Refusal!.Code.ShouldBe("reason-required");

    [Fact]
    public void Notes_AndPriority_AreRecordedWhileOpen()
    {
        var incident = InState(IncidentStatus.Dispatched);

        With(incident, incident.AddNote("Richiesto supporto VVF", T0, Operator));
        With(incident, incident.ChangePriority(Priority.P2, T0, Operator));

        incident.Priority.ShouldBe(Priority.P2);
        incident.Timeline[^2].ShouldBeOfType<NoteAdded>().Text.ShouldBe("Richiesto supporto VVF");
        incident.ChangePriority(Priority.P2, T0, Operator).Refusal!.Code.ShouldBe("no-change");
    }
}

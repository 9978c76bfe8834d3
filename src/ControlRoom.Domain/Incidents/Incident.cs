using ControlRoom.Domain.Units;
using NetTopologySuite.Geometries;

namespace ControlRoom.Domain.Incidents;

/// <summary>
/// An incident, rebuilt from its events. Commands decide (return the next event or a refusal) and
/// never change state themselves; <see cref="Apply"/> is the only way state changes, so the log and
/// the current state cannot disagree.
///   new → acknowledged → dispatched → on scene → resolved → closed
///   (cancelled or unfounded from any state before resolved)
/// </summary>
public sealed class Incident
{
    public const int MaxTitleLength = 200;
    public const int MaxTextLength = 4_000;

    private readonly List<IncidentEvent> _timeline = [];
    private readonly HashSet<UnitId> _assigned = [];
    private readonly HashSet<UnitId> _onScene = [];

    private Incident(IncidentOpened opened) => Apply(opened);

    public IncidentId Id { get; private set; }
    public IncidentType Type { get; private set; } = IncidentTypes.Other;
    public Priority Priority { get; private set; }
    public IncidentStatus Status { get; private set; }
    public IncidentSource Source { get; private set; }
    public Point Location { get; private set; } = null!;
    public int? Municipio { get; private set; }
    public string? Nil { get; private set; }
    public string Title { get; private set; } = "";
    public string? Description { get; private set; }
    public IReadOnlyList<string> AlertKeys { get; private set; } = [];

    /// <summary>Who may see it: the most sensitive of the alerts it was opened from (operations when by hand).</summary>
    public Events.Visibility Visibility { get; private set; }

    public DateTimeOffset OpenedAt { get; private set; }
    public string? Outcome { get; private set; }

    /// <summary>How many events the incident has had: the version optimistic concurrency compares.</summary>
    public int Version => _timeline.Count;

    public IReadOnlyList<IncidentEvent> Timeline => _timeline;

    /// <summary>Units dispatched and not released.</summary>
    public IReadOnlyCollection<UnitId> AssignedUnits => _assigned;

    public IReadOnlyCollection<UnitId> UnitsOnScene => _onScene;

    /// <summary>Validates and opens a new incident; the event is the first of its log.</summary>
    public static (Incident? Incident, Refusal? Refusal) Open(
        IncidentId id, DateTimeOffset at, string by, string typeCode, Priority? priority, IncidentSource source,
        Point location, int? municipio, string? nil, string title, string? description, IReadOnlyList<string>? alertKeys = null,
        Events.Visibility visibility = Events.Visibility.Operations)
    {
        var type = IncidentTypes.Find(typeCode);
        if (type is null)
            return (null, new Refusal("unknown-type", $"Unknown incident type '{typeCode}'."));
        if (string.IsNullOrWhiteSpace(title) || title.Length > MaxTitleLength)
            return (null, new Refusal("invalid-title", $"A title is required, at most {MaxTitleLength} characters."));
        if (description is { Length: > MaxTextLength })
            return (null, new Refusal("invalid-description", $"The description may be at most {MaxTextLength} characters."));
        if (location.IsEmpty || location.X is < -180 or > 180 || location.Y is < -90 or > 90)
            return (null, new Refusal("invalid-location", "The location must be a WGS84 point."));
        if (priority is { } p && !Enum.IsDefined(p))
            return (null, new Refusal("invalid-priority", "Priority must be P1 to P4."));

        var opened = new IncidentOpened(id, at, by, type.Code, priority ?? type.DefaultPriority, source, location,
            municipio, nil, title.Trim(), description?.Trim(), alertKeys ?? [], visibility);
        return (new Incident(opened), null);
    }

    public static Incident Replay(IEnumerable<IncidentEvent> events)
    {
        using var e = events.GetEnumerator();
        if (!e.MoveNext() || e.Current is not IncidentOpened opened)
            throw new InvalidOperationException("An incident's log starts with IncidentOpened.");
        var incident = new Incident(opened);
        while (e.MoveNext())
            incident.Apply(e.Current);
        return incident;
    }

    public Decision Acknowledge(DateTimeOffset at, string by) =>
        Status == IncidentStatus.New ? new IncidentAcknowledged(Id, at, by) : Refusal.Transition(Status, "acknowledge");

    public Decision ChangePriority(Priority priority, DateTimeOffset at, string by)
    {
        if (Status.IsFinal() || Status == IncidentStatus.Resolved)
            return Refusal.Transition(Status, "change the priority of");
        if (!Enum.IsDefined(priority))
            return new Refusal("invalid-priority", "Priority must be P1 to P4.");
        return priority == Priority ? new Refusal("no-change", $"The priority is already {priority}.") : new PriorityChanged(Id, at, by, priority);
    }

    /// <summary>Sends a unit. Only an available unit can go; an unacknowledged incident is acknowledged by dispatching.</summary>
    public Decision Dispatch(Unit unit, DateTimeOffset at, string by)
    {
        if (Status is not (IncidentStatus.New or IncidentStatus.Acknowledged or IncidentStatus.Dispatched or IncidentStatus.OnScene))
            return Refusal.Transition(Status, "dispatch a unit to");
        if (_assigned.Contains(unit.Id))
            return new Refusal("unit-already-assigned", $"{unit.Id} is already assigned to this incident.");
        if (!unit.IsAvailable)
            return new Refusal("unit-not-available", $"{unit.Id} is {unit.Status}, not available.");
        return new UnitDispatched(Id, at, by, unit.Id);
    }

    public Decision Arrive(UnitId unit, DateTimeOffset at, string by)
    {
        if (Status is not (IncidentStatus.Dispatched or IncidentStatus.OnScene))
            return Refusal.Transition(Status, "record an arrival at");
        if (!_assigned.Contains(unit))
            return new Refusal("unit-not-assigned", $"{unit} is not assigned to this incident.");
        return _onScene.Contains(unit) ? new Refusal("no-change", $"{unit} is already on scene.") : new UnitArrived(Id, at, by, unit);
    }

    public Decision Release(UnitId unit, DateTimeOffset at, string by)
    {
        if (Status.IsFinal())
            return Refusal.Transition(Status, "release a unit from");
        return _assigned.Contains(unit) ? new UnitReleased(Id, at, by, unit) : new Refusal("unit-not-assigned", $"{unit} is not assigned to this incident.");
    }

    public Decision AddNote(string text, DateTimeOffset at, string by)
    {
        if (Status.IsFinal())
            return Refusal.Transition(Status, "add a note to");
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxTextLength)
            return new Refusal("invalid-note", $"A note needs text, at most {MaxTextLength} characters.");
        return new NoteAdded(Id, at, by, text.Trim());
    }

    public Decision Resolve(DateTimeOffset at, string by) =>
        Status == IncidentStatus.OnScene ? new IncidentResolved(Id, at, by) : Refusal.Transition(Status, "resolve");

    /// <summary>Closes a resolved incident; the outcome is required.</summary>
    public Decision Close(string outcome, DateTimeOffset at, string by)
    {
        if (Status != IncidentStatus.Resolved)
            return Refusal.Transition(Status, "close");
        if (string.IsNullOrWhiteSpace(outcome) || outcome.Length > MaxTextLength)
            return new Refusal("outcome-required", "Closing needs an outcome.");
        return new IncidentClosed(Id, at, by, outcome.Trim());
    }

    public Decision Cancel(string reason, DateTimeOffset at, string by) =>
        EndEarly(reason, "cancel", () => new IncidentCancelled(Id, at, by, reason.Trim()));

    public Decision MarkUnfounded(string reason, DateTimeOffset at, string by) =>
        EndEarly(reason, "mark as unfounded", () => new IncidentUnfounded(Id, at, by, reason.Trim()));

    private Decision EndEarly(string reason, string action, Func<IncidentEvent> end)
    {
        if (Status.IsFinal() || Status == IncidentStatus.Resolved)
            return Refusal.Transition(Status, action);
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > MaxTextLength)
            return new Refusal("reason-required", $"To {action} an incident, give a reason.");
        return end();
    }

    /// <summary>The only place state changes. Events come from the decisions above or from the log.</summary>
    public void Apply(IncidentEvent e)
    {
        switch (e)
        {
            case IncidentOpened o:
                (Id, Type, Priority, Source, Location, Municipio, Nil, Title, Description, AlertKeys, OpenedAt, Visibility) =
                    (o.Incident, IncidentTypes.Find(o.TypeCode) ?? IncidentTypes.Other, o.Priority, o.Source, o.Location,
                     o.Municipio, o.Nil, o.Title, o.Description, o.AlertKeys, o.At, o.Visibility);
                Status = IncidentStatus.New;
                break;
            case IncidentAcknowledged:
                Status = IncidentStatus.Acknowledged;
                break;
            case PriorityChanged p:
                Priority = p.Priority;
                break;
            case UnitDispatched d:
                _assigned.Add(d.Unit);
                if (Status is IncidentStatus.New or IncidentStatus.Acknowledged)
                    Status = IncidentStatus.Dispatched;
                break;
            case UnitArrived a:
                _onScene.Add(a.Unit);
                Status = IncidentStatus.OnScene;
                break;
            case UnitReleased r:
                _assigned.Remove(r.Unit);
                _onScene.Remove(r.Unit);
                // With nobody left on the way or on scene, the incident waits for a new dispatch.
                if (_assigned.Count == 0 && Status is IncidentStatus.Dispatched or IncidentStatus.OnScene)
                    Status = IncidentStatus.Acknowledged;
                else if (_onScene.Count == 0 && Status == IncidentStatus.OnScene)
                    Status = IncidentStatus.Dispatched;
                break;
            case IncidentResolved:
                Status = IncidentStatus.Resolved;
                break;
            case IncidentClosed c:
                Status = IncidentStatus.Closed;
                Outcome = c.Outcome;
                break;
            case IncidentCancelled:
                Status = IncidentStatus.Cancelled;
                break;
            case IncidentUnfounded:
                Status = IncidentStatus.Unfounded;
                break;
            case NoteAdded:
                break;
            default:
                throw new InvalidOperationException($"Unknown incident event {e.GetType().Name}.");
        }
        _timeline.Add(e);
    }
}

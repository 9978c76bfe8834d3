using System.Globalization;
using System.Text.Json;
using ControlRoom.Domain.Events;
using ControlRoom.Domain.Geography;
using ControlRoom.Domain.Units;

namespace ControlRoom.Simulator.Scenario;

/// <summary>Where a unit is, how fast it goes (km/h) and where it heads (degrees from north, clockwise).</summary>
public sealed record UnitPosition(UnitId Id, UnitKind Kind, double Lon, double Lat, double SpeedKmh, double HeadingDeg);

/// <summary>How a kind of unit moves: within a radius of its base, at speeds between two bounds, in legs and halts.</summary>
public sealed record MovementProfile(double RadiusMetres, double MinKmh, double MaxKmh, double MeanLegSeconds, double MeanHaltSeconds)
{
    /// <summary>Speed (km/h) when sent to an incident: blue lights in city traffic; liaisons do not drive.</summary>
    public double MissionKmh => MaxKmh <= 0 ? 0 : MaxKmh > 10 ? Math.Max(MaxKmh * 1.2, 40) : MaxKmh * 1.1;

    public static MovementProfile For(UnitKind kind) => kind switch
    {
        // Street-like: a city patrol rarely holds more than 50 km/h, stops to check, moves on.
        UnitKind.PatrolCar => new(2_000, 15, 50, 420, 300),
        UnitKind.Motorcycle => new(2_000, 15, 55, 480, 240),
        UnitKind.FootPatrol => new(500, 3, 5.5, 600, 600),
        // Mostly stationary: a team that now and then walks around its site.
        UnitKind.VolunteerTeam => new(150, 2, 4, 120, 3_600),
        _ => new(0, 0, 0, 0, double.PositiveInfinity), // liaisons sit in the operations room
    };
}

/// <summary>
/// Simulated patrols: each unit wanders around its base, a bounded random walk with street-like turns,
/// deterministic for a seed (each unit has its own generator, so the roster order does not matter).
/// A unit sent to an incident drives there in a straight line and waits on scene; released, it drives
/// back to its beat. Missions run in real time even when the day is time-lapsed: operators watch them.
/// Positions go out as <see cref="EventTypes.UnitPositionReported"/> envelopes.
/// </summary>
public sealed class PatrolMovement
{
    public const string Source = "/simulator/units";
    private const double MaxSubStepSeconds = 5;
    private const double MetresPerDegreeLat = 111_132.0;
    private const double MetresPerDegreeLonAtEquator = 111_320.0;

    private readonly Walker[] _walkers;
    private readonly string _runId;
    private long _sequence;

    public PatrolMovement(IReadOnlyList<RosterUnit> units, int seed, string runId)
    {
        _walkers = units.Select(u => new Walker(u, MovementProfile.For(u.Kind), new Random(seed ^ StableHash(u.Id.Value)))).ToArray();
        _runId = runId;
    }

    public int Count => _walkers.Length;

    public IReadOnlyList<UnitPosition> Positions => _walkers.Select(w => w.Position).ToArray();

    /// <summary>
    /// Moves every unit on: wandering units by <paramref name="simSecondsElapsed"/> simulated seconds,
    /// units on a mission (or driving back) by <paramref name="realSecondsElapsed"/> (default: the same).
    /// </summary>
    public IReadOnlyList<UnitPosition> Step(double simSecondsElapsed, double? realSecondsElapsed = null)
    {
        foreach (var walker in _walkers)
        {
            var elapsed = walker.OnMission ? realSecondsElapsed ?? simSecondsElapsed : simSecondsElapsed;
            if (elapsed <= 0)
                continue;
            var steps = (int)Math.Ceiling(elapsed / MaxSubStepSeconds);
            for (var i = 0; i < steps; i++)
                walker.Advance(elapsed / steps);
        }
        return Positions;
    }

    /// <summary>Sends a unit to a place (an incident); unknown units are ignored.</summary>
    public void Dispatch(UnitId unit, double lon, double lat) => Find(unit)?.Dispatch(lon, lat);

    /// <summary>The unit is free again: it drives back to its beat and resumes its patrol.</summary>
    public void Release(UnitId unit) => Find(unit)?.Release();

    private Walker? Find(UnitId unit) => Array.Find(_walkers, w => w.Id == unit);

    /// <summary>Position reports for the units at these indices (roster order), as they are now.</summary>
    public List<EventEnvelope> Report(IEnumerable<int> units, DateTimeOffset now) =>
        units.Select(i => Envelope(_walkers[i].Position, now)).ToList();

    public EventEnvelope Envelope(UnitPosition p, DateTimeOffset now) =>
        new()
        {
            Id = string.Create(CultureInfo.InvariantCulture, $"sim-{_runId}-unit-{++_sequence}"),
            Source = Source,
            Type = EventTypes.UnitPositionReported,
            Time = now,
            Subject = p.Id.Value,
            Severity = Severity.Info,
            Visibility = Visibility.Operations,
            Location = Milan.Point(p.Lon, p.Lat),
            Data = JsonSerializer.SerializeToElement(new Dictionary<string, object?>
            {
                ["unitId"] = p.Id.Value,
                ["kind"] = p.Kind.ToString(),
                ["speedKmh"] = p.SpeedKmh,
                ["headingDeg"] = p.HeadingDeg,
            }),
        };

    /// <summary>FNV-1a: string.GetHashCode differs from run to run, a seed must not.</summary>
    private static int StableHash(string value)
    {
        var hash = 2166136261u;
        foreach (var c in value)
            hash = (hash ^ c) * 16777619u;
        return unchecked((int)hash);
    }

    private sealed class Walker(RosterUnit unit, MovementProfile profile, Random random)
    {
        private double _east;     // metres east of the base
        private double _north;    // metres north of the base
        private double _heading = random.NextDouble() * 360;
        private double _speed;    // m/s now
        private double _target;   // m/s while on a leg, 0 while halted
        private double _phaseLeft = random.NextDouble() * profile.MeanHaltSeconds; // start halted, staggered
        private (double East, double North)? _mission; // where dispatch sent it, in metres from the base
        private bool _returning;                          // released far from its beat: driving back

        public UnitId Id => unit.Id;

        public bool OnMission => _mission is not null || _returning;

        public void Dispatch(double lon, double lat)
        {
            if (profile.MissionKmh <= 0)
                return;
            _mission = ((lon - unit.Lon) * MetresPerDegreeLonAtEquator * Math.Cos(unit.Lat * Math.PI / 180), (lat - unit.Lat) * MetresPerDegreeLat);
            _returning = false;
        }

        public void Release()
        {
            if (_mission is null)
                return;
            _mission = null;
            _returning = true;
        }

        public UnitPosition Position
        {
            get
            {
                var lon = unit.Lon + (_east / (MetresPerDegreeLonAtEquator * Math.Cos(unit.Lat * Math.PI / 180)));
                var lat = unit.Lat + (_north / MetresPerDegreeLat);
                return new(unit.Id, unit.Kind, Math.Round(lon, 6), Math.Round(lat, 6), Math.Round(_speed * 3.6, 1), Math.Round(_heading) % 360);
            }
        }

        public void Advance(double dt)
        {
            if (_mission is { } target)
            {
                DriveTo(target.East, target.North, profile.MissionKmh / 3.6, dt, arrivedWithin: 20);
                return;
            }
            if (_returning)
            {
                // Home until well inside the beat, then the usual patrol.
                _returning = !DriveTo(0, 0, profile.MaxKmh / 3.6, dt, arrivedWithin: 0.6 * profile.RadiusMetres);
                if (!_returning)
                    _target = _phaseLeft = 0;
                return;
            }
            if (profile.RadiusMetres <= 0)
                return;
            _phaseLeft -= dt;
            if (_phaseLeft <= 0)
                NextPhase();

            // Speed eases towards the target (about 2 m/s² for vehicles, at once on foot).
            var accel = profile.MaxKmh > 10 ? 2.0 : 1.0;
            _speed += Math.Clamp(_target - _speed, -accel * dt, accel * dt);
            if (_speed <= 0.01)
            {
                _speed = 0;
                return;
            }

            Turn(dt);
            var radians = _heading * Math.PI / 180;
            _east += _speed * dt * Math.Sin(radians);
            _north += _speed * dt * Math.Cos(radians);

            // Never beyond the radius: pull back onto it and head home.
            var distance = Math.Sqrt((_east * _east) + (_north * _north));
            if (distance > profile.RadiusMetres)
            {
                var k = profile.RadiusMetres / distance;
                _east *= k;
                _north *= k;
                _heading = HomeBearing() + Jitter(30);
            }
        }

        /// <summary>Straight towards the point, easing speed like a vehicle; true once within <paramref name="arrivedWithin"/> metres (then stopped).</summary>
        private bool DriveTo(double east, double north, double speed, double dt, double arrivedWithin)
        {
            var (dx, dy) = (east - _east, north - _north);
            var distance = Math.Sqrt((dx * dx) + (dy * dy));
            if (distance <= arrivedWithin)
            {
                _speed = 0;
                return true;
            }
            _heading = ((Math.Atan2(dx, dy) * 180 / Math.PI) + 360) % 360;
            _speed += Math.Clamp(speed - _speed, -2.0 * dt, 2.0 * dt);
            var step = Math.Min(_speed * dt, distance);
            _east += step * dx / distance;
            _north += step * dy / distance;
            return false;
        }

        private void NextPhase()
        {
            var moving = _target <= 0;
            _target = moving ? (profile.MinKmh + (random.NextDouble() * (profile.MaxKmh - profile.MinKmh))) / 3.6 : 0;
            var mean = moving ? profile.MeanLegSeconds : profile.MeanHaltSeconds;
            _phaseLeft = mean * (0.25 + (1.5 * random.NextDouble()));
        }

        private void Turn(double dt)
        {
            var distance = Math.Sqrt((_east * _east) + (_north * _north));
            if (distance > 0.8 * profile.RadiusMetres && random.NextDouble() < dt / 20)
                _heading = HomeBearing() + Jitter(45);      // near the edge of the beat: back inwards
            else if (random.NextDouble() < dt / 90)
                _heading += random.NextDouble() < 0.5 ? 90 : -90; // a turn at a crossing
            else
                _heading += Jitter(3 * Math.Sqrt(dt));      // the street bends
            _heading = ((_heading % 360) + 360) % 360;
        }

        private double HomeBearing() => Math.Atan2(-_east, -_north) * 180 / Math.PI;

        private double Jitter(double degrees) => ((random.NextDouble() * 2) - 1) * degrees;
    }
}

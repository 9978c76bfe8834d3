namespace ControlRoom.Simulator.Scenario;

/// <summary>
/// Which units report on this tick: round robin, so each unit reports once per interval and every tick
/// carries its share (about count × tick / interval) instead of all units at once.
/// </summary>
public sealed class UnitReportSchedule
{
    private readonly int _units;
    private readonly double _intervalSeconds;
    private double _owed;
    private int _next;

    public UnitReportSchedule(int units, double intervalSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(units);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(intervalSeconds);
        _units = units;
        _intervalSeconds = intervalSeconds;
    }

    /// <summary>The indices (roster order) due after <paramref name="elapsedSeconds"/> more real seconds.</summary>
    public IReadOnlyList<int> Due(double elapsedSeconds)
    {
        if (_units == 0 || elapsedSeconds <= 0)
            return [];
        _owed += _units * elapsedSeconds / _intervalSeconds;
        var count = (int)_owed;
        _owed -= count;
        if (count > _units) // a late tick: one report each is enough, the backlog is not replayed
        {
            count = _units;
            _owed = 0;
        }
        var due = new int[count];
        for (var i = 0; i < count; i++)
        {
            due[i] = _next;
            _next = (_next + 1) % _units;
        }
        return due;
    }
}

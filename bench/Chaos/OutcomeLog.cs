namespace Platform.Bench.Chaos;

/// <summary>Every request's outcome, tagged with the phase running when it was sent.</summary>
public sealed class OutcomeLog
{
    private readonly Lock _sync = new();
    private readonly List<Outcome> _outcomes = [];
    private readonly List<(string Name, DateTimeOffset At)> _faults = [];

    public string Phase { get; private set; } = "setup";

    public void EnterPhase(string phase, bool isFault)
    {
        lock (_sync)
        {
            Phase = phase;
            if (isFault)
            {
                _faults.Add((phase, DateTimeOffset.UtcNow));
            }
        }
        Console.Error.WriteLine($"[{DateTimeOffset.UtcNow:HH:mm:ss}] phase {phase}");
    }

    /// <summary>When the host a fault took away was back (restarted and ready).</summary>
    public Dictionary<string, DateTimeOffset> Restored { get; } = [];

    public void Add(Outcome outcome)
    {
        lock (_sync)
        {
            _outcomes.Add(outcome);
        }
    }

    public IReadOnlyList<Outcome> Outcomes
    {
        get
        {
            lock (_sync)
            {
                return [.. _outcomes];
            }
        }
    }

    public IReadOnlyList<(string Name, DateTimeOffset At)> Faults
    {
        get
        {
            lock (_sync)
            {
                return [.. _faults];
            }
        }
    }
}

namespace Platform.Grains.Usage;

/// <summary>A billing period [<see cref="Start"/>, <see cref="End"/>).</summary>
public readonly record struct UsagePeriod(DateTimeOffset Start, DateTimeOffset End)
{
    /// <summary>
    /// The period that contains <paramref name="time"/>: the calendar month in UTC. This is the one place
    /// that decides period bounds; when subscriptions exist their anchor replaces it.
    /// </summary>
    public static UsagePeriod Containing(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        var start = new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
        return new UsagePeriod(start, start.AddMonths(1));
    }

    public bool Contains(DateTimeOffset time) => time >= Start && time < End;
}

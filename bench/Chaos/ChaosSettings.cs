namespace Platform.Bench.Chaos;

/// <summary>
/// The run's shape: how long each phase lasts and how many fault rounds (full or --short). After a restart the
/// next fault waits at least <see cref="Settle"/>, so each fault's window also shows traffic after the recovery.
/// <see cref="InvoiceStep"/>: at most one test-clock step (a period end) per clock this often, so the full run's
/// steps stay within InvoiceTraffic.MaxPeriods.
/// </summary>
public sealed record ChaosSettings(
    bool Short,
    TimeSpan Baseline,
    int CoreKillRounds,
    TimeSpan CoreKillInterval,
    TimeSpan AfterPciKill,
    TimeSpan DatabaseDown,
    TimeSpan AfterDatabase,
    TimeSpan AfterApiRestart,
    TimeSpan Cooldown,
    TimeSpan Settle,
    TimeSpan InvoiceStep)
{
    /// <summary>
    /// How long the checks wait for every acknowledged Stripe event to end processed: one that could not be applied
    /// at once (its owner's silo was killed) is retried by the sweeper, a one-minute reminder, 30 s after at the earliest.
    /// </summary>
    public TimeSpan WebhookProcessing { get; } = TimeSpan.FromMinutes(4);

    /// <summary>A silo kill must be recovered from within this (issue 9).</summary>
    public static readonly TimeSpan SiloRecoveryLimit = TimeSpan.FromSeconds(20);

    /// <summary>
    /// A client's patience with one request: an answer later than this counts as a hang. Above the platform's own
    /// budget for a call that reaches Stripe (Stripe:OperationTimeout, 25 s, which includes waiting for the silo's
    /// Stripe request budget of 25/s when a backlog of retried payments arrives at once).
    /// </summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    public static ChaosSettings Full { get; } = new(false, TimeSpan.FromSeconds(30), 5, TimeSpan.FromSeconds(60),
        TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(45), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(18));

    public static ChaosSettings ShortForm { get; } = new(true, TimeSpan.FromSeconds(8), 2, TimeSpan.FromSeconds(20),
        TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(3));
}

namespace Platform.Grains.Usage;

/// <summary>The <c>Usage</c> configuration section (environment <c>Usage__…</c>), read by every silo.</summary>
public sealed class UsageOptions
{
    public const string SectionName = "Usage";

    /// <summary>Retention never deletes rows younger than this. At least <c>UsageRules.MaxAge</c>, or a
    /// late retry could be counted again after its first copy was deleted.</summary>
    public TimeSpan RetentionMinimumAge { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Rows per DELETE statement: bounds locks and WAL per statement.</summary>
    public int RetentionBatchSize { get; set; } = 10_000;

    /// <summary>A retention call stops starting new batches after this long and reports <c>has_more</c>,
    /// so the call stays well inside Orleans' response timeout.</summary>
    public TimeSpan RetentionCallBudget { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Group commit: the most rows one INSERT carries (several meters' writes coalesce into one).</summary>
    public int MaxRowsPerStatement { get; set; } = 5_000;

    /// <summary>INSERT statements in flight at once per silo (each on its own pooled connection).</summary>
    public int ConcurrentWriters { get; set; } = 4;

    /// <summary>Client-side timeout of one log INSERT. The forwarding grace must exceed twice this.</summary>
    public TimeSpan WriteTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Distinct values of one property a meter keeps in memory per metric; beyond it that
    /// property's unique_count is computed from the log when asked.</summary>
    public int MaxDistinctValuesInMemory { get; set; } = 10_000;

    /// <summary>The longest range a usage query scans in the log.</summary>
    public TimeSpan MaxQueryRange { get; set; } = TimeSpan.FromDays(400);

    /// <summary>Hand logged events to the PCI side for Stripe (IStripeMeterGrain).</summary>
    public bool ForwardingEnabled { get; set; } = true;

    /// <summary>How often a tenant's forwarder looks for due events while it has work.</summary>
    public TimeSpan ForwardingInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Events are forwarded only once they are this old (database clock). Insert order and
    /// commit order differ while statements are in flight; after two write timeouts every row with a
    /// smaller sequence number is committed, so advancing the watermark past it cannot skip a row.</summary>
    public TimeSpan ForwardingGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Batches (of at most IStripeMeterGrain.MaxBatchSize events) sent per forwarding tick.</summary>
    public int ForwardingBatchesPerTick { get; set; } = 10;

    /// <summary>Timeout of one call to the PCI side.</summary>
    public TimeSpan ForwardingCallTimeout { get; set; } = TimeSpan.FromSeconds(20);
}

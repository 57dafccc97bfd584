namespace Platform.Grains.Interfaces.Usage;

/// <summary>
/// The PCI side of usage forwarding, keyed by tenant id: sends meter events to Stripe with the tenant's
/// Stripe configuration, within the outbound budget. Implemented by a PCI grain (Platform.Grains.Pci);
/// the usage forwarder only calls it.
/// Contract: a batch holds at most <see cref="MaxBatchSize"/> events; returning normally means Stripe
/// accepted (or already had) every event of the batch; throwing means "retry the batch later" and the
/// forwarder resends it unchanged (same identifiers), so the implementation need not be idempotent itself.
/// An event refused for good is dead-lettered (recorded, see <see cref="ListDeadLettersAsync"/>) and counts
/// as handled, so one bad event never holds back the tenant's others.
/// </summary>
[Alias("platform.stripe_meter")]
public interface IStripeMeterGrain : IGrainWithStringKey
{
    public const int MaxBatchSize = 100;

    [Alias("send_meter_events")]
    Task SendMeterEventsAsync(IReadOnlyList<StripeMeterEvent> events, CancellationToken cancellationToken);

    /// <summary>
    /// Events refused for good (Stripe refused them, or they cannot be sent: no such customer, no meter for
    /// the metric), newest first, at most <paramref name="limit"/>. They were skipped so the rest could flow.
    /// </summary>
    [Alias("list_dead_letters")]
    Task<IReadOnlyList<DeadLetteredMeterEvent>> ListDeadLettersAsync(int limit);
}

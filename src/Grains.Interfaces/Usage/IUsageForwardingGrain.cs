namespace Platform.Grains.Interfaces.Usage;

/// <summary>
/// A tenant's usage outbox, keyed by tenant id: hands logged events to Stripe (through the PCI grain) in
/// insert order, after a grace delay, and remembers how far it got. Ingestion never waits for it.
/// </summary>
[Alias("platform.usage_forwarding")]
public interface IUsageForwardingGrain : IGrainWithStringKey
{
    /// <summary>Tells the forwarder there is work; it makes sure its timer and reminder run. One-way.</summary>
    [Alias("wake"), Orleans.Concurrency.OneWay]
    Task WakeAsync();

    /// <summary>Forwards whatever is due now; returns how many events were handed over.</summary>
    [Alias("forward_due")]
    Task<int> ForwardDueAsync();
}

using Platform.Grains.Interfaces.Usage;

namespace Platform.Grains.Usage;

/// <summary>
/// Where the forwarding grain hands due events: by default the PCI grain (<see cref="IStripeMeterGrain"/>).
/// A seam in DI rather than a second grain class, so tests can record what would reach Stripe without a
/// competing implementation of the PCI contract.
/// </summary>
public interface IUsageForwarder
{
    /// <summary>Completes when every event of the batch is accepted downstream; throws to have it resent.</summary>
    Task ForwardAsync(string tenantId, IReadOnlyList<StripeMeterEvent> events, CancellationToken cancellationToken);
}

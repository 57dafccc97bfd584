using Platform.Grains.Interfaces.Usage;

namespace Platform.Grains.Usage;

/// <summary>Forwards to the tenant's <see cref="IStripeMeterGrain"/> on a PCI silo.</summary>
public sealed class StripeMeterGrainForwarder(IGrainFactory grains) : IUsageForwarder
{
    public Task ForwardAsync(string tenantId, IReadOnlyList<StripeMeterEvent> events, CancellationToken cancellationToken) =>
        grains.GetGrain<IStripeMeterGrain>(tenantId).SendMeterEventsAsync(events, cancellationToken);
}

using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Platform.Grains.Interfaces.Payments;
using Platform.Grains.Pci.Outbound;
using Platform.Grains.Interfaces.Pci;

namespace Platform.Grains.Pci.Configuration;

/// <summary>
/// Serves Stripe's publishable key. The key is public, but it is configuration of pci silos (beside the
/// secret), so the grain is PCI and stateless: any pci silo answers locally.
/// </summary>
[Pci]
[StatelessWorker]
public sealed class PublishableKeyGrain(IOptions<StripeOptions> options) : Grain, IPublishableKeyGrain
{
    public Task<string> GetAsync() => Task.FromResult(options.Value.PublishableKey!);
}

using Orleans.Concurrency;
using Platform.Grains.Common;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Subscriptions;

namespace Platform.Grains.Subscriptions;

/// <summary>The index says which customers have a subscription and in what order; each SubscriptionGrain says what it is.</summary>
[StatelessWorker]
public sealed class SubscriptionDirectoryGrain(ResourceIndex index) : Grain, ISubscriptionDirectoryGrain
{
    public Task<Page<SubscriptionSnapshot>> ListAsync(PageRequest request, ListFilter filter)
    {
        var tenantId = this.GetPrimaryKeyString();
        return FilteredPages.ReadAsync(index, tenantId, ResourceKinds.Subscription, request,
            customerId => GrainFactory.GetGrain<ISubscriptionGrain>(PlatformIds.CustomerKey(tenantId, customerId)).GetAsync(),
            s => filter.Matches(s.Status, s.Created), s => s.CustomerId);
    }
}

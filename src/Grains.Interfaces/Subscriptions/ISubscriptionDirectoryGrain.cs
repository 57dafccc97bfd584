using Platform.Grains.Interfaces.Common;

namespace Platform.Grains.Interfaces.Subscriptions;

/// <summary>
/// Lists a tenant's subscriptions newest first (by when each customer's subscription was first stored),
/// filtered as Stripe's list is. Keyed by the tenant id. Cursors are customer ids: a customer holds one
/// subscription, and its id may be ours or Stripe's.
/// </summary>
[Alias("platform.subscription_directory")]
public interface ISubscriptionDirectoryGrain : IGrainWithStringKey
{
    [Alias("list")]
    Task<Page<SubscriptionSnapshot>> ListAsync(PageRequest request, ListFilter filter);
}

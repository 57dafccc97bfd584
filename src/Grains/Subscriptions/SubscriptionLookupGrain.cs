using Orleans.Concurrency;
using Platform.Grains.Common;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Subscriptions;

namespace Platform.Grains.Subscriptions;

/// <summary>
/// Reads the Stripe-id index the SubscriptionGrain writes when it first mirrors a Stripe subscription. Stateless:
/// one query per lookup, on any silo.
/// </summary>
[StatelessWorker]
public sealed class SubscriptionLookupGrain(ResourceIndex index) : Grain, ISubscriptionLookupGrain
{
    public async Task<string?> FindCustomerAsync(string stripeSubscriptionId)
    {
        if (await index.FindAsync(stripeSubscriptionId, ResourceKinds.StripeObject) is not { } key)
        {
            return null;
        }
        try
        {
            var (tenantId, customerId) = PlatformIds.ParseCustomerKey(key);
            return tenantId == this.GetPrimaryKeyString() ? customerId : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}

namespace Platform.Grains.Interfaces.Subscriptions;

/// <summary>
/// Finds the customer of a Stripe-managed subscription by Stripe's id (<c>sub_…</c> at Stripe), within one
/// tenant: keyed by the tenant id, it never answers with another tenant's customer.
/// </summary>
[Alias("platform.subscription_lookup")]
public interface ISubscriptionLookupGrain : IGrainWithStringKey
{
    /// <summary>Our customer id (<c>cus_…</c>), or null when the id names no subscription of this tenant.</summary>
    [Alias("find_customer")]
    Task<string?> FindCustomerAsync(string stripeSubscriptionId);
}

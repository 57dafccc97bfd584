using Platform.Grains.Interfaces.Common;

namespace Platform.Grains.Interfaces.Plans;

/// <summary>
/// A tenant's plans, keyed by the tenant id. Codes are unique per tenant (archived plans keep theirs).
/// Subscriptions attach to and detach from a plan here, so a plan in use is known without a scan.
/// </summary>
[Alias("platform.plan_catalog")]
public interface IPlanCatalogGrain : IGrainWithStringKey
{
    /// <summary>Refuses a code already used (Conflict, <c>plan_code_in_use</c>).</summary>
    [Alias("create")]
    Task<PlanSnapshot> CreateAsync(PlanDraft draft);

    [Alias("get")]
    Task<PlanSnapshot?> GetAsync(string planId);

    /// <summary>Newest first.</summary>
    [Alias("list")]
    Task<Page<PlanSnapshot>> ListAsync(PageRequest page);

    /// <summary>Archived plans take no new subscriptions; existing ones continue. Null when unknown.</summary>
    [Alias("archive")]
    Task<PlanSnapshot?> ArchiveAsync(string planId);

    /// <summary>Refuses a plan in use (Conflict, <c>plan_in_use</c>); false when unknown.</summary>
    [Alias("delete")]
    Task<bool> DeleteAsync(string planId);

    /// <summary>Records that a customer's subscription uses the plan (idempotent); refuses an archived or unknown plan.</summary>
    [Alias("attach")]
    Task<PlanSnapshot> AttachAsync(string planId, string customerId);

    /// <summary>Records the plan's Stripe price (created by the PCI <see cref="IPlanPricesGrain"/>); false when the plan is unknown.</summary>
    [Alias("set_stripe_price")]
    Task<bool> SetStripePriceAsync(string planId, string stripePriceId);

    /// <summary>Records the plan's Stripe price and the metered prices of its usage charges; false when the plan is unknown.</summary>
    [Alias("set_stripe_prices")]
    Task<bool> SetStripePricesAsync(string planId, string stripePriceId, IReadOnlyList<StripeUsagePrice> usagePrices);

    /// <summary>
    /// For a subscription Stripe already sold: the plan whose Stripe price is <paramref name="stripePriceId"/>
    /// (else <paramref name="planIdHint"/>, from the subscription's metadata), recording the customer on it even
    /// when archived since (Stripe's subscription exists either way). Null when neither names a plan here.
    /// </summary>
    [Alias("attach_stripe_subscriber")]
    Task<PlanSnapshot?> AttachStripeSubscriberAsync(string? stripePriceId, string? planIdHint, string customerId);

    /// <summary>Records that the customer's subscription left the plan (idempotent).</summary>
    [Alias("detach")]
    Task DetachAsync(string planId, string customerId);
}

namespace Platform.Grains.Interfaces.Plans;

/// <summary>
/// The Stripe Product and Price of a tenant's plans, keyed by the tenant id. PCI: it runs only on silos with
/// the pci role. A plan's price is created at Stripe on first need, once, and recorded in the plan catalog.
/// </summary>
[Alias("platform.plan_prices")]
public interface IPlanPricesGrain : IGrainWithStringKey
{
    /// <summary>The plan's Stripe price id (<c>price_…</c>), created with its product when there is none yet.</summary>
    [Alias("ensure_stripe_price")]
    Task<string> EnsureStripePriceAsync(string planId);

    /// <summary>
    /// The plan's flat price first, then the metered price of each usage charge (with its Billing Meter), created when
    /// missing; refuses a plan Stripe cannot bill exactly (<see cref="PlanErrorCodes.PlanNotExpressibleAtStripe"/>).
    /// </summary>
    [Alias("ensure_stripe_prices")]
    Task<IReadOnlyList<string>> EnsureStripePricesAsync(string planId);
}

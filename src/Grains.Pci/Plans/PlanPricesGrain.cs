using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Plans;
using Platform.Grains.Pci.Outbound;
using Stripe;
using Platform.Grains.Interfaces.Pci;

namespace Platform.Grains.Pci.Plans;

/// <summary>
/// Creates a plan's Stripe Product and recurring Price the first time the plan is sold through Checkout, and
/// records the price in the plan catalog (which then maps Stripe's price back to the plan for the webhooks).
/// Exactly once: this grain's turns run one at a time per tenant, and both calls' idempotency keys derive from
/// the plan id, so a crash between Stripe's answer and the catalog write replays the same product and price
/// (within Stripe's 24-hour idempotency window). A plan's price never changes: plans are not updated.
/// </summary>
[Pci]
public sealed class PlanPricesGrain(StripeGateway stripe) : Grain, IPlanPricesGrain
{
    public const string PlanMetadataKey = "platform_plan";

    public async Task<string> EnsureStripePriceAsync(string planId)
    {
        var tenantId = this.GetPrimaryKeyString();
        var catalog = GrainFactory.GetGrain<IPlanCatalogGrain>(tenantId);
        var plan = await catalog.GetAsync(planId)
                   ?? throw new PlatformException(PlatformErrorKind.InvalidRequest, "resource_missing", "No such plan.", "plan");
        if (plan.StripePriceId is { } known)
        {
            return known;
        }
        using var deadline = stripe.Deadline();
        var definition = plan.Definition;
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [StripeMetadata.TenantId] = tenantId,
            [PlanMetadataKey] = plan.Id,
        };
        var product = await stripe.SendAsync((client, ct) => client.V1.Products.CreateAsync(new ProductCreateOptions
        {
            Name = definition.Name ?? definition.Code,
            Metadata = metadata,
        }, StripeGateway.Idempotent(StripeIdempotencyKeys.For("plan_product", tenantId, plan.Id)), ct), deadline.Token);
        var price = await stripe.SendAsync((client, ct) => client.V1.Prices.CreateAsync(new PriceCreateOptions
        {
            Product = product.Id,
            Currency = definition.Currency,
            UnitAmount = definition.Amount,
            Recurring = new PriceRecurringOptions { Interval = StripeInterval(definition.Interval) },
            Nickname = definition.Code,
            Metadata = metadata,
        }, StripeGateway.Idempotent(StripeIdempotencyKeys.For("plan_price", tenantId, plan.Id)), ct), deadline.Token);
        // Stripe has acted; the record must be written even if the operation's deadline passes now.
        await catalog.SetStripePriceAsync(plan.Id, price.Id);
        return price.Id;
    }

    private static string StripeInterval(PlanInterval interval) => interval switch
    {
        PlanInterval.Day => "day",
        PlanInterval.Year => "year",
        _ => "month",
    };
}

using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Plans;
using Platform.Grains.Pci.Outbound;
using Stripe;
using Stripe.Billing;
using Platform.Grains.Interfaces.Pci;

namespace Platform.Grains.Pci.Plans;

/// <summary>
/// Creates a plan's Stripe Product, its recurring flat Price and, per usage charge, a Billing Meter for the metric
/// (one per tenant metric, shared by plans) and a metered Price tied to it (<see cref="StripeUsagePricing"/>), the first
/// time the plan is sold through Checkout, and records the prices in the plan catalog (which then maps Stripe's prices
/// back to the plan for the webhooks and the invoice mirror). Exactly once: this grain's turns run one at a time per
/// tenant, the meters are kept in its state, and every call's idempotency key derives from the plan id (or the metric),
/// so a crash between Stripe's answer and the record replays the same objects (within Stripe's 24-hour idempotency
/// window). A plan's prices never change: plans are not updated. A plan Stripe cannot bill exactly is refused
/// (<see cref="PlanErrorCodes.PlanNotExpressibleAtStripe"/>) before anything is created.
/// </summary>
[Pci]
public sealed class PlanPricesGrain(
    [PersistentState(PlanPricesGrain.StateName, GrainStorageNames.Platform)] IPersistentState<PlanPricesState> state,
    StripeGateway stripe) : Grain, IPlanPricesGrain
{
    public const string StateName = "plan_prices";
    public const string PlanMetadataKey = "platform_plan";
    public const string MetricMetadataKey = "platform_metric";

    /// <summary>Meter event payload keys; the usage forwarder's StripeMeterGrain sends these.</summary>
    public const string CustomerPayloadKey = "stripe_customer_id";
    public const string ValuePayloadKey = "value";

    public async Task<string> EnsureStripePriceAsync(string planId) => (await EnsureStripePricesAsync(planId))[0];

    public async Task<IReadOnlyList<string>> EnsureStripePricesAsync(string planId)
    {
        var tenantId = this.GetPrimaryKeyString();
        var catalog = GrainFactory.GetGrain<IPlanCatalogGrain>(tenantId);
        var plan = await catalog.GetAsync(planId)
                   ?? throw new PlatformException(PlatformErrorKind.InvalidRequest, "resource_missing", "No such plan.", "plan");
        var definition = plan.Definition;
        var known = plan.StripeUsagePrices ?? [];
        if (plan.StripePriceId is { } flat && known.Count == definition.UsageCharges.Count)
        {
            return [flat, .. known.Select(p => p.PriceId)];
        }
        if (StripeUsagePricing.Refusal(definition) is { } refusal)
        {
            throw refusal;
        }
        using var deadline = stripe.Deadline();
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
        var flatPriceId = plan.StripePriceId ?? (await stripe.SendAsync((client, ct) => client.V1.Prices.CreateAsync(new PriceCreateOptions
        {
            Product = product.Id,
            Currency = definition.Currency,
            UnitAmount = definition.Amount,
            Recurring = new PriceRecurringOptions { Interval = StripeUsagePricing.Interval(definition.Interval) },
            Nickname = definition.Code,
            Metadata = metadata,
        }, StripeGateway.Idempotent(StripeIdempotencyKeys.For("plan_price", tenantId, plan.Id)), ct), deadline.Token)).Id;
        var usagePrices = new List<StripeUsagePrice>();
        for (var i = 0; i < definition.UsageCharges.Count; i++)
        {
            var charge = definition.UsageCharges[i];
            var eventName = StripeMeterNames.EventName(tenantId, charge.Metric);
            var meterId = await EnsureMeterAsync(tenantId, charge.Metric, eventName, deadline.Token);
            var priceMetadata = new Dictionary<string, string>(metadata, StringComparer.Ordinal) { [MetricMetadataKey] = charge.Metric };
            var index = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var price = await stripe.SendAsync((client, ct) => client.V1.Prices.CreateAsync(
                StripeUsagePricing.PriceOptions(charge, definition, product.Id, meterId, priceMetadata),
                StripeGateway.Idempotent(StripeIdempotencyKeys.For("plan_usage_price", tenantId, plan.Id, index)), ct), deadline.Token);
            usagePrices.Add(new StripeUsagePrice(charge.Metric, price.Id, meterId, eventName));
        }
        // Stripe has acted; the record must be written even if the operation's deadline passes now.
        await catalog.SetStripePricesAsync(plan.Id, flatPriceId, usagePrices);
        return [flatPriceId, .. usagePrices.Select(p => p.PriceId)];
    }

    /// <summary>The tenant's meter for the metric: <c>sum</c> of the events' <c>value</c>, by our Stripe customer id.</summary>
    private async Task<string> EnsureMeterAsync(string tenantId, string metric, string eventName, CancellationToken cancellationToken)
    {
        if (state.State.Meters.TryGetValue(metric, out var known))
        {
            return known;
        }
        var meter = await stripe.SendAsync((client, ct) => client.V1.Billing.Meters.CreateAsync(new MeterCreateOptions
        {
            DisplayName = metric,
            EventName = eventName,
            DefaultAggregation = new MeterDefaultAggregationOptions { Formula = "sum" },
            CustomerMapping = new MeterCustomerMappingOptions { Type = "by_id", EventPayloadKey = CustomerPayloadKey },
            ValueSettings = new MeterValueSettingsOptions { EventPayloadKey = ValuePayloadKey },
        }, StripeGateway.Idempotent(StripeIdempotencyKeys.For("billing_meter", tenantId, metric)), ct), cancellationToken);
        state.State.Meters[metric] = meter.Id;
        await state.WriteStateAsync(CancellationToken.None);
        return meter.Id;
    }
}

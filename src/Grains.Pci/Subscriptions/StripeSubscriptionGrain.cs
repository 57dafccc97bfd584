using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Payments;
using Platform.Grains.Interfaces.Plans;
using Platform.Grains.Interfaces.Subscriptions;
using Platform.Grains.Pci.Outbound;
using Platform.Grains.Pci.Plans;
using Stripe;
using Stripe.Checkout;
using Platform.Grains.Interfaces.Pci;

namespace Platform.Grains.Pci.Subscriptions;

/// <summary>
/// Sells a tenant's plan through Stripe Checkout and changes or cancels the resulting Stripe subscription.
/// Everything it creates carries our <c>tenant_id</c>/<c>customer_id</c> (and <c>platform_plan</c>) metadata,
/// so the events Stripe sends back find the customer's <c>SubscriptionGrain</c>, which alone changes our
/// mirror. It keeps no state: the Stripe customer is the PaymentMethodsGrain's, the price the catalog's.
/// </summary>
[Pci]
public sealed partial class StripeSubscriptionGrain(StripeGateway stripe) : Grain, IStripeSubscriptionGrain, IStripeSubscriptionResumption
{
    private (string TenantId, string CustomerId) Ids => PlatformIds.ParseCustomerKey(this.GetPrimaryKeyString());

    public async Task<CheckoutSessionSnapshot> CreateCheckoutSessionAsync(CheckoutDraft draft)
    {
        var (tenantId, customerId) = Ids;
        if (await GrainFactory.GetGrain<ISubscriptionGrain>(this.GetPrimaryKeyString()).GetAsync() is { } current
            && current.Status is not ("canceled" or "incomplete_expired"))
        {
            throw new PlatformException(PlatformErrorKind.Conflict, "subscription_exists",
                "The customer already has a live subscription: change its plan or cancel it first.", "customer");
        }
        var plan = await GrainFactory.GetGrain<IPlanCatalogGrain>(tenantId).GetAsync(draft.PlanId)
                   ?? throw new PlatformException(PlatformErrorKind.InvalidRequest, "resource_missing", "No such plan.", "plan");
        if (plan.Archived)
        {
            throw new PlatformException(PlatformErrorKind.InvalidRequest, "plan_archived", "This plan is archived and takes no new subscriptions.", "plan");
        }
        if (StripeUsagePricing.Refusal(plan.Definition) is { } refusal)
        {
            throw refusal;
        }
        var stripeCustomerId = await GrainFactory.GetGrain<IPaymentMethodsGrain>(this.GetPrimaryKeyString()).EnsureStripeCustomerAsync();
        // The flat price, then one metered price per usage charge (no quantity: the meter counts it).
        var prices = await GrainFactory.GetGrain<IPlanPricesGrain>(tenantId).EnsureStripePricesAsync(plan.Id);
        var metadata = StripeMetadata.For(tenantId, customerId, (PlanPricesGrain.PlanMetadataKey, plan.Id));
        using var deadline = stripe.Deadline();
        var session = await stripe.SendAsync((client, ct) => client.V1.Checkout.Sessions.CreateAsync(new SessionCreateOptions
        {
            Mode = "subscription",
            Customer = stripeCustomerId,
            LineItems = [new SessionLineItemOptions { Price = prices[0], Quantity = 1 }, .. prices.Skip(1).Select(p => new SessionLineItemOptions { Price = p })],
            SuccessUrl = draft.SuccessUrl,
            CancelUrl = draft.CancelUrl,
            ClientReferenceId = customerId,
            Metadata = metadata,
            SubscriptionData = new SessionSubscriptionDataOptions
            {
                TrialPeriodDays = plan.Definition.TrialDays > 0 ? plan.Definition.TrialDays : null,
                Metadata = metadata,
            },
        }, StripeGateway.Idempotent(StripeIdempotencyKeys.For("checkout_session", tenantId, customerId, draft.RequestKey)), ct), deadline.Token);
        return new CheckoutSessionSnapshot(session.Id, session.Url, StripeGateway.Time(session.ExpiresAt), customerId, plan.Id,
            session.Status ?? "open", StripeGateway.Time(session.Created));
    }

    public async Task ChangePlanAsync(StripePlanChange change)
    {
        var (tenantId, customerId) = Ids;
        var prices = await GrainFactory.GetGrain<IPlanPricesGrain>(tenantId).EnsureStripePricesAsync(change.PlanId);
        using var deadline = stripe.Deadline();
        // The flat item moves to the new plan's price; the old plan's metered items go, the new plan's come.
        List<SubscriptionItemOptions> items =
        [
            new SubscriptionItemOptions { Id = change.ItemId, Price = prices[0] },
            .. (change.UsageItemIds ?? []).Select(id => new SubscriptionItemOptions { Id = id, Deleted = true }),
            .. prices.Skip(1).Select(p => new SubscriptionItemOptions { Price = p }),
        ];
        await stripe.SendAsync((client, ct) => client.V1.Subscriptions.UpdateAsync(change.StripeSubscriptionId, new SubscriptionUpdateOptions
        {
            Items = items,
            ProrationBehavior = change.ProrationBehavior,
            Metadata = new Dictionary<string, string>(StringComparer.Ordinal) { [PlanPricesGrain.PlanMetadataKey] = change.PlanId },
        }, StripeGateway.Idempotent(StripeIdempotencyKeys.For("subscription_plan", tenantId, customerId, change.StripeSubscriptionId,
            change.PlanId, change.RequestKey)), ct), deadline.Token);
    }

    public async Task CancelAsync(string stripeSubscriptionId, bool atPeriodEnd, string requestKey)
    {
        var (tenantId, customerId) = Ids;
        using var deadline = stripe.Deadline();
        if (atPeriodEnd)
        {
            await stripe.SendAsync((client, ct) => client.V1.Subscriptions.UpdateAsync(stripeSubscriptionId,
                new SubscriptionUpdateOptions { CancelAtPeriodEnd = true },
                StripeGateway.Idempotent(StripeIdempotencyKeys.For("subscription_cancel_at_period_end", tenantId, customerId, stripeSubscriptionId, requestKey)),
                ct), deadline.Token);
            return;
        }
        try
        {
            await stripe.SendAsync((client, ct) => client.V1.Subscriptions.CancelAsync(stripeSubscriptionId, new SubscriptionCancelOptions(), null, ct),
                deadline.Token);
        }
        catch (PlatformException refusal) when (refusal.Kind == PlatformErrorKind.NotFound)
        {
            // Stripe answers a canceled subscription as missing: an earlier attempt (whose answer was lost) or Stripe itself ended it.
        }
    }
}

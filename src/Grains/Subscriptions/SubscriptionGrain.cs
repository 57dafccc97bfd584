using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Grains.Billing;
using Platform.Grains.Common;
using Platform.Grains.Interfaces.Billing;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Customers;
using Platform.Grains.Interfaces.Entitlements;
using Platform.Grains.Interfaces.Plans;
using Platform.Grains.Interfaces.StripeWebhooks;
using Platform.Grains.Interfaces.Subscriptions;
using Platform.Grains.Interfaces.Usage;
using Platform.Grains.Interfaces.Webhooks;

namespace Platform.Grains.Subscriptions;

/// <summary>
/// A customer's subscription, mirrored from Stripe's events. Order-proof: each event carries a version
/// (<see cref="StripeEventVersion"/>) and only a newer one changes state, except that an ended
/// subscription (canceled, incomplete_expired) stays ended whatever arrives later, and an ending event
/// always applies. The final state is thus the same whatever order, and however often, events arrive.
/// A subscription can also be created here on a tenant's plan (<see cref="CreateAsync"/>): then this grain
/// drives it itself, with a reminder that ends the trial and rolls the period even when no request comes,
/// keeps the customer's entitlements in step, and publishes the tenant's subscription events.
/// </summary>
public sealed partial class SubscriptionGrain(
    [PersistentState(SubscriptionGrain.StateName, PlatformStorage.Name)] IPersistentState<SubscriptionState> subscription,
    [FromKeyedServices(BillingClock.Key)] TimeProvider clock,
    IOptions<SubscriptionOptions> options,
    ResourceIndex index,
    ILogger<SubscriptionGrain> logger) : Grain, ISubscriptionGrain, ISubscriptionResumption, IRemindable
{
    public const string StateName = "subscription";
    public const string CycleReminder = "subscription-cycle";

    private static readonly string[] LiveStatuses = ["trialing", "active", "past_due"];

    /// <summary>The metadata key our PCI grains put on Stripe prices and subscriptions: the plan sold.</summary>
    private const string PlanMetadataKey = "platform_plan";

    private bool _customerKnown;

    private string CustomerId => PlatformIds.ParseCustomerKey(this.GetPrimaryKeyString()).CustomerId;

    public async Task<StripeEventOutcome> ApplyStripeEventAsync(StripeEventData stripeEvent) =>
        (await ApplyStripeEventsAsync([stripeEvent]))[0];

    public async Task<IReadOnlyList<StripeEventOutcome>> ApplyStripeEventsAsync(IReadOnlyList<StripeEventData> stripeEvents)
    {
        await RequireCustomerAsync();
        var state = subscription.State;
        var before = (state.StripeSubscriptionId, state.Status, state.PlanId, PriceId: state.Items.FirstOrDefault()?.PriceId);
        var outcomes = new StripeEventOutcome[stripeEvents.Count];
        var applied = false;
        StripeEventData? lastSubscriptionEvent = null;
        for (var i = 0; i < stripeEvents.Count; i++)
        {
            var stripeEvent = stripeEvents[i];
            var changed = stripeEvent.ObjectType switch
            {
                "subscription" => ApplySubscription(stripeEvent),
                "invoice" => ApplyInvoice(stripeEvent),
                "checkout.session" => ApplyCheckout(stripeEvent),
                _ => (bool?)null,
            };
            outcomes[i] = changed switch
            {
                null => StripeEventOutcome.Ignored,
                false => StripeEventOutcome.Stale,
                true => StripeEventOutcome.Applied,
            };
            if (changed == true)
            {
                state.StripeCustomerId ??= stripeEvent.Customer;
                applied = true;
                if (stripeEvent.ObjectType == "subscription")
                {
                    lastSubscriptionEvent = stripeEvent;
                }
            }
        }
        if (!applied)
        {
            return outcomes;
        }
        // One write for the lot: the events were recorded before, so a failed write leaves them pending for the sweeper.
        state.Updated = clock.GetUtcNow();
        if (lastSubscriptionEvent is not null)
        {
            // The plan, entitlements and the tenant's event follow the batch's end state (one event per batch).
            await MirrorPlanAsync(lastSubscriptionEvent, before);
        }
        else
        {
            await subscription.WriteStateAsync();
        }
        return outcomes;
    }

    /// <summary>
    /// After a Stripe subscription event: the plan its price maps to (or its <c>platform_plan</c> metadata)
    /// becomes the subscription's plan, the catalog's subscriber counts follow, and, when the subscription is
    /// on one of the tenant's plans, the change goes out as entitlements and a subscription event like a
    /// change made here. The Stripe id is indexed, so <c>/v1/subscriptions/{id}</c> finds the customer by it.
    /// </summary>
    private async Task MirrorPlanAsync(StripeEventData stripeEvent, (string? SubscriptionId, string Status, string? PlanId, string? PriceId) before)
    {
        var state = subscription.State;
        var (tenantId, customerId) = PlatformIds.ParseCustomerKey(this.GetPrimaryKeyString());
        var catalog = GrainFactory.GetGrain<IPlanCatalogGrain>(tenantId);
        var priceId = state.Items.FirstOrDefault()?.PriceId;
        // A subscription on no plan of ours whose price did not change stays on none: the tenant's one catalog
        // grain is not asked again for every event of every such subscription.
        var unchangedWithoutPlan = before.PlanId is null && before.Status.Length > 0 && before.SubscriptionId == state.StripeSubscriptionId
                                   && before.PriceId == priceId;
        var plan = unchangedWithoutPlan ? null
            : await catalog.AttachStripeSubscriberAsync(priceId, stripeEvent.MetadataValue(PlanMetadataKey), customerId);
        var previousPlan = before.PlanId;
        state.PlanId = plan?.Id;
        var final = SubscriptionStatuses.IsSubscriptionFinal(state.Status);
        if (state.StripeSubscriptionId != before.SubscriptionId && state.StripeSubscriptionId is { } stripeId)
        {
            await index.AddAsync(stripeId, ResourceKinds.StripeObject, this.GetPrimaryKeyString(), clock.GetUtcNow());
        }
        if (plan is null && previousPlan is null)
        {
            await subscription.WriteStateAsync();
            return;
        }
        var eventType = final ? EventTypes.SubscriptionCanceled
            : before.Status.Length == 0 || before.SubscriptionId != state.StripeSubscriptionId || SubscriptionStatuses.IsSubscriptionFinal(before.Status)
                ? EventTypes.SubscriptionCreated
                : EventTypes.SubscriptionUpdated;
        await CommitAsync(eventType, clock.GetUtcNow(), plan);
        if (plan is null && LiveStatuses.Contains(state.Status))
        {
            // Moved in Stripe to a price that is none of the tenant's plans: the old plan's grant goes.
            await GrainFactory.GetGrain<IEntitlementsGrain>(this.GetPrimaryKeyString()).GrantAsync(null);
        }
        if (previousPlan is not null && previousPlan != state.PlanId)
        {
            await catalog.DetachAsync(previousPlan, customerId);
        }
        if (final && state.PlanId is { } endedPlan)
        {
            await catalog.DetachAsync(endedPlan, customerId);
        }
    }

    public Task<SubscriptionSnapshot?> GetAsync()
    {
        var state = subscription.State;
        if (state.StripeSubscriptionId is null || state.Status.Length == 0)
        {
            return Task.FromResult<SubscriptionSnapshot?>(null);
        }
        return Task.FromResult<SubscriptionSnapshot?>(new SubscriptionSnapshot(CustomerId, state.StripeSubscriptionId, state.Status,
            state.Items.ToArray(), Time(state.CurrentPeriodStart), Time(state.CurrentPeriodEnd), state.CancelAtPeriodEnd,
            Time(state.CanceledAt), Time(state.TrialEnd), state.LatestInvoiceId, state.LatestInvoiceStatus,
            Time(state.SubscriptionCreated > 0 ? state.SubscriptionCreated : null), state.Updated, Time(state.EndedAt), state.PlanId,
            IsManagedByStripe));
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken) => PublishOutboxAsync();

    public async Task<SubscriptionSnapshot> CreateAsync(string planId)
    {
        await RequireCustomerAsync();
        var state = subscription.State;
        if (state.Status.Length > 0 && !SubscriptionStatuses.IsSubscriptionFinal(state.Status))
        {
            throw new PlatformException(PlatformErrorKind.Conflict, "subscription_exists",
                "The customer already has a live subscription: change its plan or cancel it first.", "customer");
        }
        var (tenantId, customerId) = PlatformIds.ParseCustomerKey(this.GetPrimaryKeyString());
        var plan = await GrainFactory.GetGrain<IPlanCatalogGrain>(tenantId).AttachAsync(planId, customerId);
        var now = clock.GetUtcNow();
        var trialEnd = plan.Definition.TrialDays > 0 ? now.AddDays(plan.Definition.TrialDays) : (DateTimeOffset?)null;
        state.StripeSubscriptionId = PlatformIds.SubscriptionIdOf(customerId);
        state.ManagedByStripe = false;
        state.PlanId = plan.Id;
        state.Status = trialEnd is null ? "active" : "trialing";
        state.Items = [];
        state.SubscriptionCreated = now.ToUnixTimeSeconds();
        state.SubscriptionVersion = StripeEventVersion.None;
        state.CurrentPeriodStart = now.ToUnixTimeSeconds();
        // A trial is the first period; the paid one starts when it ends.
        state.CurrentPeriodEnd = (trialEnd ?? PlanPeriods.End(now, plan.Definition.Interval)).ToUnixTimeSeconds();
        state.TrialEnd = trialEnd?.ToUnixTimeSeconds();
        state.TrialWillEndSent = false;
        state.CancelAtPeriodEnd = false;
        state.CanceledAt = null;
        state.EndedAt = null;
        state.LatestInvoiceId = null;
        state.LatestInvoiceStatus = null;
        await CommitAsync(EventTypes.SubscriptionCreated, now, plan);
        await this.RegisterOrUpdateReminder(CycleReminder, options.Value.ReminderPeriod, options.Value.ReminderPeriod);
        return (await GetAsync())!;
    }

    public async Task<SubscriptionSnapshot?> CancelAsync(bool atPeriodEnd, string? requestKey = null)
    {
        var state = subscription.State;
        if (state.StripeSubscriptionId is null || state.Status.Length == 0)
        {
            return null;
        }
        if (SubscriptionStatuses.IsSubscriptionFinal(state.Status))
        {
            return await GetAsync();
        }
        if (IsManagedByStripe)
        {
            // Stripe's customer.subscription.updated/deleted that follow change the mirror, not this call.
            await StripeSubscription.CancelAsync(state.StripeSubscriptionId, atPeriodEnd, requestKey ?? NewRequestKey());
            return await GetAsync();
        }
        var now = clock.GetUtcNow();
        if (atPeriodEnd)
        {
            if (!state.CancelAtPeriodEnd)
            {
                state.CancelAtPeriodEnd = true;
                state.CanceledAt = now.ToUnixTimeSeconds();
                await CommitAsync(EventTypes.SubscriptionUpdated, now, await CurrentPlanAsync());
            }
            return await GetAsync();
        }
        await EndAsync(now);
        return await GetAsync();
    }

    public async Task<SubscriptionSnapshot?> ChangePlanAsync(string planId, string? prorationBehavior = null, string? requestKey = null)
    {
        var state = subscription.State;
        if (state.StripeSubscriptionId is null || state.Status.Length == 0)
        {
            return null;
        }
        if (SubscriptionStatuses.IsSubscriptionFinal(state.Status))
        {
            throw new PlatformException(PlatformErrorKind.Conflict, "subscription_canceled", "A canceled subscription cannot change plan; create a new one.");
        }
        if (state.PlanId == planId)
        {
            return await GetAsync();
        }
        var (tenantId, customerId) = PlatformIds.ParseCustomerKey(this.GetPrimaryKeyString());
        var catalog = GrainFactory.GetGrain<IPlanCatalogGrain>(tenantId);
        if (IsManagedByStripe)
        {
            await ChangeStripePlanAsync(catalog, planId, prorationBehavior ?? "create_prorations", requestKey ?? NewRequestKey());
            return await GetAsync();
        }
        var plan = await catalog.AttachAsync(planId, customerId);
        var previous = state.PlanId;
        state.PlanId = plan.Id;
        await CommitAsync(EventTypes.SubscriptionUpdated, clock.GetUtcNow(), plan);
        if (previous is not null)
        {
            await catalog.DetachAsync(previous, customerId);
        }
        return await GetAsync();
    }

    public async Task<bool> EndForErasureAsync()
    {
        var state = subscription.State;
        if (state.StripeSubscriptionId is null || state.Status.Length == 0 || SubscriptionStatuses.IsSubscriptionFinal(state.Status))
        {
            return false;
        }
        if (IsManagedByStripe)
        {
            // At Stripe first (a retried step cancels again: already canceled there counts as done), then here at
            // once rather than after Stripe's event, so nothing is granted to an erased customer meanwhile.
            await StripeSubscription.CancelAsync(state.StripeSubscriptionId, atPeriodEnd: false, NewRequestKey());
        }
        await EndAsync(clock.GetUtcNow());
        return true;
    }

    public async Task<InvoicePreview?> PreviewInvoiceAsync()
    {
        var state = subscription.State;
        if (state.PlanId is null || !LiveStatuses.Contains(state.Status))
        {
            return null;
        }
        var plan = await CurrentPlanAsync();
        // Usage of the subscription's own current period (not the meter's calendar month); without a period, the meter's.
        var period = Time(state.CurrentPeriodStart) is { } start && Time(state.CurrentPeriodEnd) is { } end && end > start
            ? new UsageQuery(null, start, end)
            : new UsageQuery(null, null, null);
        var usage = await GrainFactory.GetGrain<IUsageMeterGrain>(this.GetPrimaryKeyString()).GetUsageAsync(period);
        var definition = plan.Definition;
        // A trial costs nothing; its usage is still shown, priced at zero.
        var trialing = state.Status == "trialing";
        var lines = new List<InvoiceLine>
        {
            new($"{definition.Name ?? definition.Code} ({(trialing ? "trial" : "flat")})", null, 1, trialing ? 0 : definition.Amount),
        };
        foreach (var charge in definition.UsageCharges)
        {
            var quantity = usage?.Metrics.FirstOrDefault(m => m.Metric == charge.Metric)?.Sum ?? 0;
            lines.Add(new InvoiceLine($"{charge.Metric} usage", charge.Metric, quantity,
                trialing ? 0 : PriceCalculator.Amount(charge, Math.Max(quantity, 0))));
        }
        var (_, customerId) = PlatformIds.ParseCustomerKey(this.GetPrimaryKeyString());
        return new InvoicePreview(customerId, state.StripeSubscriptionId!, plan.Id, definition.Currency,
            usage?.From ?? Time(state.CurrentPeriodStart)!.Value, usage?.To ?? Time(state.CurrentPeriodEnd)!.Value,
            lines, lines.Sum(l => l.Amount));
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != CycleReminder)
        {
            return;
        }
        var state = subscription.State;
        if (state.PlanId is null || state.ManagedByStripe || state.Status.Length == 0 || SubscriptionStatuses.IsSubscriptionFinal(state.Status))
        {
            await RemoveReminderAsync();
            return;
        }
        await PublishOutboxAsync();
        var now = clock.GetUtcNow();
        if (state.Status == "trialing" && state.TrialEnd is { } trialEnd && !state.TrialWillEndSent
            && now >= DateTimeOffset.FromUnixTimeSeconds(trialEnd) - options.Value.TrialWillEndNotice)
        {
            state.TrialWillEndSent = true;
            await CommitAsync(EventTypes.SubscriptionTrialWillEnd, now, null);
        }
        // Catch up period by period (a silo down for days rolls each missed period in turn).
        while (state.CurrentPeriodEnd is { } end && now >= DateTimeOffset.FromUnixTimeSeconds(end)
               && !SubscriptionStatuses.IsSubscriptionFinal(state.Status))
        {
            var periodEnd = DateTimeOffset.FromUnixTimeSeconds(end);
            if (state.CancelAtPeriodEnd)
            {
                await EndAsync(periodEnd);
                return;
            }
            var plan = await CurrentPlanAsync();
            state.Status = "active";
            state.CurrentPeriodStart = end;
            state.CurrentPeriodEnd = PlanPeriods.End(periodEnd, plan.Definition.Interval).ToUnixTimeSeconds();
            await CommitAsync(EventTypes.SubscriptionUpdated, now, plan);
        }
    }

    /// <summary>
    /// Sold through Checkout or only mirrored: it lives at Stripe, changes go there, and Stripe's events change
    /// it here. (A subscription mirrored before <see cref="SubscriptionState.ManagedByStripe"/> existed has no plan.)
    /// </summary>
    private bool IsManagedByStripe => subscription.State.ManagedByStripe || subscription.State.PlanId is null;

    private IStripeSubscriptionGrain StripeSubscription => GrainFactory.GetGrain<IStripeSubscriptionGrain>(this.GetPrimaryKeyString());

    /// <summary>A caller without an Idempotency-Key still gets one key for Stripe (its transport retries reuse it).</summary>
    private static string NewRequestKey() => Guid.NewGuid().ToString("N");

    private async Task ChangeStripePlanAsync(IPlanCatalogGrain catalog, string planId, string prorationBehavior, string requestKey)
    {
        var state = subscription.State;
        var plan = await catalog.GetAsync(planId)
                   ?? throw new PlatformException(PlatformErrorKind.InvalidRequest, "resource_missing", "No such plan.", "plan");
        if (plan.Archived)
        {
            throw new PlatformException(PlatformErrorKind.InvalidRequest, "plan_archived", "This plan is archived and takes no new subscriptions.", "plan");
        }
        if (state.Items.Count != 1)
        {
            throw new PlatformException(PlatformErrorKind.Conflict, "subscription_items_unsupported",
                "Only a Stripe subscription with exactly one item can change plan here; change it in Stripe.");
        }
        await StripeSubscription.ChangePlanAsync(new StripePlanChange(state.StripeSubscriptionId!, state.Items[0].Id, plan.Id, prorationBehavior, requestKey));
    }

    private async Task EndAsync(DateTimeOffset at)
    {
        var state = subscription.State;
        state.Status = "canceled";
        state.CanceledAt ??= at.ToUnixTimeSeconds();
        state.EndedAt = at.ToUnixTimeSeconds();
        await CommitAsync(EventTypes.SubscriptionCanceled, clock.GetUtcNow(), null);
        if (state.PlanId is { } planId)
        {
            var (tenantId, customerId) = PlatformIds.ParseCustomerKey(this.GetPrimaryKeyString());
            await GrainFactory.GetGrain<IPlanCatalogGrain>(tenantId).DetachAsync(planId, customerId);
        }
        await RemoveReminderAsync();
    }

    private async Task<PlanSnapshot> CurrentPlanAsync()
    {
        var (tenantId, _) = PlatformIds.ParseCustomerKey(this.GetPrimaryKeyString());
        return await GrainFactory.GetGrain<IPlanCatalogGrain>(tenantId).GetAsync(subscription.State.PlanId!)
               ?? throw new PlatformException(PlatformErrorKind.Conflict, "plan_missing", "The subscription's plan no longer exists.");
    }

    /// <summary>
    /// Writes the change with its event staged, brings the entitlements in step, then publishes. The change
    /// is durable first; entitlements and the event follow (an outbox, retried on the next change or tick).
    /// </summary>
    private async Task CommitAsync(string eventType, DateTimeOffset now, PlanSnapshot? plan)
    {
        var state = subscription.State;
        state.Updated = now;
        state.Outbox.Add(new PlatformEvent(PlatformIds.NewEventId(), eventType, now, SubscriptionEventData.Render((await GetAsync())!)));
        await subscription.WriteStateAsync();
        var live = LiveStatuses.Contains(state.Status);
        if (!live || plan is not null)
        {
            var grant = live && plan is not null
                ? new EntitlementGrant(plan.Id, state.Status, Time(state.CurrentPeriodStart) ?? now, Time(state.CurrentPeriodEnd) ?? now, plan.Definition.Entitlements)
                : null;
            await GrainFactory.GetGrain<IEntitlementsGrain>(this.GetPrimaryKeyString()).GrantAsync(grant);
        }
        await PublishOutboxAsync();
    }

    private async Task PublishOutboxAsync()
    {
        var outbox = subscription.State.Outbox;
        if (outbox.Count == 0)
        {
            return;
        }
        var (tenantId, _) = PlatformIds.ParseCustomerKey(this.GetPrimaryKeyString());
        try
        {
            foreach (var staged in outbox.ToArray())
            {
                await GrainFactory.GetGrain<ITenantEventsGrain>(tenantId).PublishAsync(staged);
                outbox.Remove(staged);
            }
            await subscription.WriteStateAsync();
        }
        catch (Exception e) when (e is not PlatformException)
        {
            logger.LogWarning(e, "Publishing {Count} staged subscription events of {Customer} failed; retried on the next change or tick",
                outbox.Count, this.GetPrimaryKeyString());
        }
    }

    private async Task RemoveReminderAsync()
    {
        if (await this.GetReminder(CycleReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    /// <summary>
    /// Stripe can tell us of a customer before our own record of it is readable (or of one we never had):
    /// refuse, so the event stays pending and the sweeper retries it, rather than mirror it onto nobody.
    /// </summary>
    private async Task RequireCustomerAsync()
    {
        if (_customerKnown)
        {
            return;
        }
        if (await GrainFactory.GetGrain<ICustomerGrain>(this.GetPrimaryKeyString()).GetAsync() is null)
        {
            throw new PlatformException(PlatformErrorKind.NotFound, "customer_missing",
                "The event names a customer this platform does not know (yet).", "customer");
        }
        _customerKnown = true;
    }

    private bool? ApplySubscription(StripeEventData stripeEvent)
    {
        if (stripeEvent.ObjectId is not { } subscriptionId || stripeEvent.Status is not { Length: > 0 } status)
        {
            return null;
        }
        var state = subscription.State;
        var created = stripeEvent.ObjectCreated ?? 0;
        if (!IsManagedByStripe && state.StripeSubscriptionId != subscriptionId && !SubscriptionStatuses.IsSubscriptionFinal(state.Status))
        {
            // A live subscription created here on a plan is this customer's one subscription: a Stripe
            // subscription of the same customer is not mirrored over it (docs/PLANS.md).
            return null;
        }
        if (state.StripeSubscriptionId is { } current && current != subscriptionId && state.Status.Length > 0)
        {
            // Another subscription of this customer: the newest one (by its own creation) is the one mirrored.
            if ((created, subscriptionId).CompareTo((state.SubscriptionCreated, current)) < 0)
            {
                return false;
            }
            state.Status = "";
            state.SubscriptionVersion = StripeEventVersion.None;
        }
        var version = new StripeEventVersion(stripeEvent.Created, SubscriptionStatuses.SubscriptionRank(status), stripeEvent.Id);
        var wasFinal = state.Status.Length > 0 && SubscriptionStatuses.IsSubscriptionFinal(state.Status);
        var isFinal = SubscriptionStatuses.IsSubscriptionFinal(status);
        if ((wasFinal && !isFinal) || (wasFinal == isFinal && !version.IsAfter(state.SubscriptionVersion)))
        {
            return false;
        }
        state.StripeSubscriptionId = subscriptionId;
        state.ManagedByStripe = true;
        state.SubscriptionCreated = created;
        state.SubscriptionVersion = version;
        state.Status = status;
        state.Items = stripeEvent.Items.Select(i => new SubscriptionItemSnapshot(i.Id, i.PriceId, i.Quantity)).ToList();
        state.CurrentPeriodStart = stripeEvent.CurrentPeriodStart;
        state.CurrentPeriodEnd = stripeEvent.CurrentPeriodEnd;
        state.CancelAtPeriodEnd = stripeEvent.CancelAtPeriodEnd ?? false;
        state.CanceledAt = stripeEvent.CanceledAt;
        state.TrialEnd = stripeEvent.TrialEnd;
        state.EndedAt = stripeEvent.EndedAt;
        return true;
    }

    /// <summary>The newest invoice of the customer's subscriptions, with its furthest status.</summary>
    private bool? ApplyInvoice(StripeEventData stripeEvent)
    {
        if (stripeEvent.ObjectId is not { } invoiceId || stripeEvent.Status is not { Length: > 0 } status)
        {
            return null;
        }
        var state = subscription.State;
        var created = stripeEvent.ObjectCreated ?? 0;
        if (state.LatestInvoiceId is { } latest && latest != invoiceId)
        {
            if ((created, invoiceId).CompareTo((state.LatestInvoiceCreated, latest)) < 0)
            {
                return false;
            }
            state.LatestInvoiceStatus = null;
            state.InvoiceVersion = StripeEventVersion.None;
        }
        var version = new StripeEventVersion(stripeEvent.Created, SubscriptionStatuses.InvoiceRank(status), stripeEvent.Id);
        var wasFinal = state.LatestInvoiceStatus is { } before && SubscriptionStatuses.IsInvoiceFinal(before);
        var isFinal = SubscriptionStatuses.IsInvoiceFinal(status);
        if ((wasFinal && !isFinal) || (wasFinal == isFinal && !version.IsAfter(state.InvoiceVersion)))
        {
            return false;
        }
        state.LatestInvoiceId = invoiceId;
        state.LatestInvoiceCreated = created;
        state.LatestInvoiceStatus = status;
        state.InvoiceVersion = version;
        return true;
    }

    /// <summary>A completed checkout names the subscription it created; its own events bring the rest.</summary>
    private bool? ApplyCheckout(StripeEventData stripeEvent)
    {
        var state = subscription.State;
        if (stripeEvent.Subscription is not { } subscriptionId)
        {
            return null;
        }
        if (state.StripeSubscriptionId is not null)
        {
            return false;
        }
        state.StripeSubscriptionId = subscriptionId;
        state.CheckoutSessionId = stripeEvent.ObjectId;
        return true;
    }

    private static DateTimeOffset? Time(long? unixSeconds) =>
        unixSeconds is { } seconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
}

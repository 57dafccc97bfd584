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
public sealed class SubscriptionGrain(
    [PersistentState(SubscriptionGrain.StateName, PlatformStorage.Name)] IPersistentState<SubscriptionState> subscription,
    [FromKeyedServices(BillingClock.Key)] TimeProvider clock,
    IOptions<SubscriptionOptions> options,
    ILogger<SubscriptionGrain> logger) : Grain, ISubscriptionGrain, IRemindable
{
    public const string StateName = "subscription";
    public const string CycleReminder = "subscription-cycle";

    private static readonly string[] LiveStatuses = ["trialing", "active", "past_due"];

    private bool _customerKnown;

    private string CustomerId => PlatformIds.ParseCustomerKey(this.GetPrimaryKeyString()).CustomerId;

    public async Task<StripeEventOutcome> ApplyStripeEventAsync(StripeEventData stripeEvent) =>
        (await ApplyStripeEventsAsync([stripeEvent]))[0];

    public async Task<IReadOnlyList<StripeEventOutcome>> ApplyStripeEventsAsync(IReadOnlyList<StripeEventData> stripeEvents)
    {
        await RequireCustomerAsync();
        var outcomes = new StripeEventOutcome[stripeEvents.Count];
        var applied = false;
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
                subscription.State.StripeCustomerId ??= stripeEvent.Customer;
                applied = true;
            }
        }
        if (applied)
        {
            // One write for the lot: the events were recorded before, so a failed write leaves them pending for the sweeper.
            subscription.State.Updated = clock.GetUtcNow();
            await subscription.WriteStateAsync();
        }
        return outcomes;
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
            Time(state.SubscriptionCreated > 0 ? state.SubscriptionCreated : null), state.Updated, Time(state.EndedAt), state.PlanId));
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

    public async Task<SubscriptionSnapshot?> CancelAsync(bool atPeriodEnd)
    {
        var state = subscription.State;
        if (state.StripeSubscriptionId is null || state.Status.Length == 0)
        {
            return null;
        }
        RequireDirect();
        if (SubscriptionStatuses.IsSubscriptionFinal(state.Status))
        {
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

    public async Task<SubscriptionSnapshot?> ChangePlanAsync(string planId)
    {
        var state = subscription.State;
        if (state.StripeSubscriptionId is null || state.Status.Length == 0)
        {
            return null;
        }
        RequireDirect();
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

    public async Task<InvoicePreview?> PreviewInvoiceAsync()
    {
        var state = subscription.State;
        if (state.PlanId is null || !LiveStatuses.Contains(state.Status))
        {
            return null;
        }
        var plan = await CurrentPlanAsync();
        var usage = await GrainFactory.GetGrain<IUsageMeterGrain>(this.GetPrimaryKeyString()).GetUsageAsync(new UsageQuery(null, null, null));
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
        if (state.PlanId is null || state.Status.Length == 0 || SubscriptionStatuses.IsSubscriptionFinal(state.Status))
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

    /// <summary>Subscriptions mirrored from Stripe change through Stripe (its events), not here.</summary>
    private void RequireDirect()
    {
        if (subscription.State.PlanId is null)
        {
            throw new PlatformException(PlatformErrorKind.Conflict, "subscription_managed_by_stripe",
                "This subscription is managed in Stripe; change it there and its events update it here.");
        }
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
                ? new EntitlementGrant(plan.Id, state.Status, Time(state.CurrentPeriodStart)!.Value, Time(state.CurrentPeriodEnd)!.Value, plan.Definition.Entitlements)
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
        if (state.PlanId is not null && state.StripeSubscriptionId != subscriptionId && !SubscriptionStatuses.IsSubscriptionFinal(state.Status))
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
        state.PlanId = null;
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

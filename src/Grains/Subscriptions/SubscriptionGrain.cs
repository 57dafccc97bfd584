using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Grains.Common;
using Platform.Grains.Interfaces.Audit;
using Platform.Grains.Interfaces.Billing;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Customers;
using Platform.Grains.Interfaces.Entitlements;
using Platform.Grains.Interfaces.Plans;
using Platform.Grains.Interfaces.StripeWebhooks;
using Platform.Grains.Interfaces.Subscriptions;
using Platform.Grains.Interfaces.Usage;
using Platform.Grains.Interfaces.Webhooks;
using Platform.Grains.Webhooks;

namespace Platform.Grains.Subscriptions;

/// <summary>
/// A customer's subscription: orchestration only. Stripe's events change it through the pure
/// <see cref="SubscriptionMirror"/> (order-proof); one created here on a tenant's plan (<see cref="CreateAsync"/>)
/// follows the pure <see cref="SubscriptionCycle"/>, driven by a reminder that ends the trial and rolls the
/// period even when no request comes; <see cref="InvoicePreviewPricing"/> prices its preview. This grain reads
/// plans and usage, writes the state once per change (its events staged with it), keeps the customer's
/// entitlements in step and publishes the tenant's subscription events (<see cref="EventOutbox"/>).
/// </summary>
public sealed partial class SubscriptionGrain(
    [PersistentState(SubscriptionGrain.StateName, PlatformStorage.Name)] IPersistentState<SubscriptionState> subscription,
    [FromKeyedServices(BillingClock.Key)] TimeProvider clock,
    IOptions<SubscriptionOptions> options,
    IOptions<WebhookOptions> webhookOptions,
    ResourceIndex index,
    ILogger<SubscriptionGrain> logger) : Grain, ISubscriptionGrain, ISubscriptionResumption, IRemindable
{
    public const string StateName = "subscription";
    public const string CycleReminder = "subscription-cycle";

    /// <summary>The metadata key our PCI grains put on Stripe prices and subscriptions: the plan sold.</summary>
    private const string PlanMetadataKey = "platform_plan";

    private readonly SubscriptionMirror _mirror = new();
    private readonly SubscriptionCycle _cycle = new(options.Value.TrialWillEndNotice);
    private readonly EventOutbox _outbox = new();
    private bool _customerKnown;
    private TestClocks.CustomerClock? _time;

    private string CustomerId => PlatformIds.ParseCustomerKey(this.GetPrimaryKeyString()).CustomerId;

    public async Task<StripeEventOutcome> ApplyStripeEventAsync(StripeEventData stripeEvent) =>
        (await ApplyStripeEventsAsync([stripeEvent]))[0];

    public async Task<IReadOnlyList<StripeEventOutcome>> ApplyStripeEventsAsync(IReadOnlyList<StripeEventData> stripeEvents)
    {
        await RequireCustomerAsync();
        var state = subscription.State;
        var before = MirrorBaseline.Of(state);
        var outcomes = new StripeEventOutcome[stripeEvents.Count];
        var applied = false;
        StripeEventData? lastSubscriptionEvent = null;
        for (var i = 0; i < stripeEvents.Count; i++)
        {
            outcomes[i] = _mirror.Apply(state, stripeEvents[i]);
            if (outcomes[i] == StripeEventOutcome.Applied)
            {
                applied = true;
                if (stripeEvents[i].ObjectType == SubscriptionMirror.SubscriptionObject)
                {
                    lastSubscriptionEvent = stripeEvents[i];
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
            await WriteAsync();
        }
        return outcomes;
    }

    /// <summary>
    /// After a Stripe subscription event: the plan its price maps to (or its <c>platform_plan</c> metadata)
    /// becomes the subscription's plan, the catalog's subscriber counts follow, and, when the subscription is
    /// on one of the tenant's plans, the change goes out as entitlements and a subscription event like a
    /// change made here. The Stripe id is indexed, so <c>/v1/subscriptions/{id}</c> finds the customer by it.
    /// </summary>
    private async Task MirrorPlanAsync(StripeEventData stripeEvent, MirrorBaseline before)
    {
        var state = subscription.State;
        var (tenantId, customerId) = PlatformIds.ParseCustomerKey(this.GetPrimaryKeyString());
        var catalog = GrainFactory.GetGrain<IPlanCatalogGrain>(tenantId);
        var plan = before.StaysWithoutPlan(state) ? null
            : await catalog.AttachStripeSubscriberAsync(state.Items.FirstOrDefault()?.PriceId, stripeEvent.MetadataValue(PlanMetadataKey), customerId);
        var previousPlan = before.PlanId;
        state.PlanId = plan?.Id;
        var final = SubscriptionStatuses.IsSubscriptionFinal(state.Status);
        if (state.StripeSubscriptionId != before.SubscriptionId && state.StripeSubscriptionId is { } stripeId)
        {
            await index.AddAsync(stripeId, ResourceKinds.StripeObject, this.GetPrimaryKeyString(), clock.GetUtcNow());
        }
        if (plan is null && previousPlan is null)
        {
            await WriteAsync();
            return;
        }
        await CommitAsync(before.EventTypeAfter(state), clock.GetUtcNow(), plan);
        if (plan is null && SubscriptionStatuses.IsLive(state.Status))
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

    public Task<SubscriptionSnapshot?> GetAsync() => Task.FromResult(SubscriptionProjection.Snapshot(CustomerId, subscription.State));

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await PublishOutboxAsync();
        if (_outbox.HasPublished)
        {
            // Events a previous activation published but did not clear (it ended without another write).
            try
            {
                await WriteAsync(cancellationToken);
            }
            catch (Orleans.Storage.InconsistentStateException)
            {
                // Another activation (two, briefly, after a silo kill) cleared them first: read its state and go on.
                await subscription.ReadStateAsync(cancellationToken);
            }
        }
    }

    /// <summary>Clears the published events, so the next activation has none to send again (if this fails, Orleans logs it and that activation clears them).</summary>
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        _outbox.HasPublished ? WriteAsync(cancellationToken) : Task.CompletedTask;

    public async Task<SubscriptionSnapshot> CreateAsync(
        string planId, string? collectionMethod = null, int? daysUntilDue = null, string? couponId = null, IReadOnlyList<string>? taxRateIds = null,
        string? currency = null)
    {
        await RequireCustomerAsync();
        var state = subscription.State;
        if (state.Status.Length > 0 && !SubscriptionStatuses.IsSubscriptionFinal(state.Status))
        {
            throw new PlatformException(PlatformErrorKind.Conflict, "subscription_exists",
                "The customer already has a live subscription: change its plan or cancel it first.", "customer");
        }
        var (tenantId, customerId) = PlatformIds.ParseCustomerKey(this.GetPrimaryKeyString());
        var catalog = GrainFactory.GetGrain<IPlanCatalogGrain>(tenantId);
        var adjustments = GrainFactory.GetGrain<Interfaces.Adjustments.IBillingAdjustmentsGrain>(tenantId);
        var now = await NowAsync();
        var known = await catalog.GetAsync(planId) ?? throw new PlatformException(PlatformErrorKind.NotFound, "resource_missing", "No such plan.", "plan");
        // The customer's currency is fixed by its first invoice (or first money entry): the plan must be priced in it.
        var fixedCurrency = (await adjustments.GetBillingAsync(customerId)).Currency;
        if (currency is not null && fixedCurrency is not null && currency != fixedCurrency)
        {
            throw new PlatformException(PlatformErrorKind.InvalidRequest, Interfaces.Invoices.InvoiceErrorCodes.CurrencyMismatch,
                $"The customer is billed in {fixedCurrency.ToUpperInvariant()}, not {currency.ToUpperInvariant()}.", "currency");
        }
        var billedIn = fixedCurrency ?? currency ?? known.Definition.Currency;
        if (!known.Definition.Offers(billedIn))
        {
            throw new PlatformException(PlatformErrorKind.InvalidRequest, Interfaces.Invoices.InvoiceErrorCodes.CurrencyMismatch,
                $"The customer is billed in {billedIn.ToUpperInvariant()}; this plan has no price in it (add it to the plan's currency_options).", "plan");
        }
        var taxRates = taxRateIds is { Count: > 0 } ? (await adjustments.ResolveTaxRatesAsync(taxRateIds, defaultsWhenEmpty: false)).Select(r => r.Id).ToList() : [];
        var coupon = couponId is null ? null : await adjustments.RedeemCouponAsync(couponId, planId, billedIn, now);
        var plan = await catalog.AttachAsync(planId, customerId);
        _cycle.Start(state, PlatformIds.SubscriptionIdOf(customerId), plan, now);
        state.PeriodPlanId = plan.Id;
        state.Currency = billedIn;
        state.DefaultTaxRateIds = taxRates;
        state.Discount = coupon is null ? null : Interfaces.Adjustments.SubscriptionDiscount.Of(coupon, now);
        state.PendingItems = [];
        state.PendingProrationInvoiceId = null;
        state.CollectionMethod = collectionMethod ?? Interfaces.Invoices.CollectionMethods.ChargeAutomatically;
        state.DaysUntilDue = state.CollectionMethod == Interfaces.Invoices.CollectionMethods.SendInvoice ? daysUntilDue ?? 30 : null;
        state.PendingDrafts = [];
        await CommitAsync(EventTypes.SubscriptionCreated, now, plan);
        await this.RegisterOrUpdateReminder(CycleReminder, options.Value.ReminderPeriod, options.Value.ReminderPeriod);
        await AuditAsync(AuditActions.SubscriptionCreated, ("plan", plan.Id), ("status", state.Status));
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
            await AuditCancelAsync(atPeriodEnd);
            return await GetAsync();
        }
        var now = await NowAsync();
        if (atPeriodEnd)
        {
            if (_cycle.CancelAtPeriodEnd(state, now))
            {
                await CommitAsync(EventTypes.SubscriptionUpdated, now, await CurrentPlanAsync());
                await AuditCancelAsync(atPeriodEnd);
            }
            return await GetAsync();
        }
        await EndAsync(now, now);
        await AuditCancelAsync(atPeriodEnd);
        return await GetAsync();
    }

    public async Task<SubscriptionSnapshot?> ApplyCouponAsync(string couponId)
    {
        var state = subscription.State;
        if (state.StripeSubscriptionId is null || state.Status.Length == 0)
        {
            return null;
        }
        if (SubscriptionStatuses.IsSubscriptionFinal(state.Status) || IsManagedByStripe || state.PlanId is null)
        {
            throw new PlatformException(PlatformErrorKind.Conflict, Interfaces.Invoices.InvoiceErrorCodes.CouponNotApplicable,
                "A coupon applies to a live subscription managed here; Stripe applies its own discounts to the subscriptions it manages.", "coupon");
        }
        var (tenantId, _) = PlatformIds.ParseCustomerKey(this.GetPrimaryKeyString());
        var plan = await CurrentPlanAsync();
        var now = await NowAsync();
        var coupon = await GrainFactory.GetGrain<Interfaces.Adjustments.IBillingAdjustmentsGrain>(tenantId)
            .RedeemCouponAsync(couponId, plan.Id, state.Currency ?? plan.Definition.Currency, now);
        state.Discount = Interfaces.Adjustments.SubscriptionDiscount.Of(coupon, now);
        await CommitAsync(EventTypes.SubscriptionUpdated, now, plan);
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
            await AuditAsync(AuditActions.SubscriptionPlanChanged, ("plan", planId), ("previous_plan", state.PlanId ?? ""), ("managed_by", "stripe"));
            return await GetAsync();
        }
        var now = await NowAsync();
        var previous = state.PlanId is { } previousId ? await catalog.GetAsync(previousId) : null;
        var next = await catalog.GetAsync(planId) ?? throw new PlatformException(PlatformErrorKind.NotFound, "resource_missing", "No such plan.", "plan");
        var billedIn = state.Currency ?? previous?.Definition.Currency ?? next.Definition.Currency;
        if (!next.Definition.Offers(billedIn))
        {
            throw new PlatformException(PlatformErrorKind.InvalidRequest, Interfaces.Invoices.InvoiceErrorCodes.CurrencyMismatch,
                $"The subscription is billed in {billedIn.ToUpperInvariant()}; this plan has no price in it.", "plan");
        }
        var plan = await catalog.AttachAsync(planId, customerId);
        state.PlanId = plan.Id;
        if (previous is not null && state.Status != SubscriptionStatuses.Trialing)
        {
            var behavior = prorationBehavior ?? Prorations.CreateProrations;
            var items = Prorations.Items(CustomerId, state, InCurrency(previous, billedIn), InCurrency(plan, billedIn), now, behavior, requestKey);
            state.PendingItems.AddRange(items);
            if (behavior == Prorations.AlwaysInvoice && items.Count > 0)
            {
                state.PendingProrationInvoiceId = PlatformIds.DerivedId(PlatformIds.InvoicePrefix, this.GetPrimaryKeyString(), "prorations/" + items[0].Id);
            }
        }
        await CommitAsync(EventTypes.SubscriptionUpdated, now, plan);
        await MakePendingItemsAsync();
        if (previous is not null)
        {
            await catalog.DetachAsync(previous.Id, customerId);
        }
        await AuditAsync(AuditActions.SubscriptionPlanChanged, ("plan", plan.Id), ("previous_plan", previous?.Id ?? ""));
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
        var erasedAt = clock.GetUtcNow();
        await EndAsync(erasedAt, erasedAt);
        return true;
    }

    public async Task<InvoicePreview?> PreviewInvoiceAsync()
    {
        var state = subscription.State;
        if (state.PlanId is null || !SubscriptionStatuses.IsLive(state.Status))
        {
            return null;
        }
        var plan = await CurrentPlanAsync();
        var usage = await GrainFactory.GetGrain<IUsageMeterGrain>(this.GetPrimaryKeyString()).GetUsageAsync(InvoicePreviewPricing.UsageQuery(state));
        return InvoicePreviewPricing.Price(CustomerId, state, InCurrency(plan, state.Currency ?? plan.Definition.Currency), usage);
    }

    /// <summary>The plan as priced in the subscription's currency (its own when that is not one of its options).</summary>
    private static PlanSnapshot InCurrency(PlanSnapshot plan, string currency) =>
        plan.Definition.In(currency) is { } priced ? plan with { Definition = priced } : plan;

    private bool IsManagedByStripe => SubscriptionMirror.IsManagedByStripe(subscription.State);

    private IStripeSubscriptionGrain StripeSubscription => GrainFactory.GetGrain<IStripeSubscriptionGrain>(this.GetPrimaryKeyString());

    /// <summary>A caller without an Idempotency-Key still gets one key for Stripe (its transport retries reuse it).</summary>
    private static string NewRequestKey() => Guid.NewGuid().ToString("N");

    private async Task ChangeStripePlanAsync(IPlanCatalogGrain catalog, string planId, string prorationBehavior, string requestKey) =>
        await StripeSubscription.ChangePlanAsync(
            SubscriptionMirror.PlanChange(subscription.State, await catalog.GetAsync(planId),
                subscription.State.PlanId is { } currentPlanId ? await catalog.GetAsync(currentPlanId) : null, prorationBehavior, requestKey));

    private async Task EndAsync(DateTimeOffset at, DateTimeOffset now)
    {
        var state = subscription.State;
        _cycle.End(state, at);
        await CommitAsync(EventTypes.SubscriptionCanceled, now, null);
        if (state.PlanId is { } planId)
        {
            var (tenantId, customerId) = PlatformIds.ParseCustomerKey(this.GetPrimaryKeyString());
            await GrainFactory.GetGrain<IPlanCatalogGrain>(tenantId).DetachAsync(planId, customerId);
        }
        await RemoveReminderAsync();
    }

    private Task AuditCancelAsync(bool atPeriodEnd) =>
        IsManagedByStripe
            ? AuditAsync(AuditActions.SubscriptionCanceled, ("at_period_end", atPeriodEnd ? "true" : "false"), ("managed_by", "stripe"))
            : AuditAsync(AuditActions.SubscriptionCanceled, ("at_period_end", atPeriodEnd ? "true" : "false"));

    /// <summary>A change a caller asked for (the cycle's own steps are not audited): subject the subscription, with its customer.</summary>
    private Task AuditAsync(string action, params (string Key, string Value)[] details)
    {
        var (tenantId, customerId) = PlatformIds.ParseCustomerKey(this.GetPrimaryKeyString());
        var all = details.ToDictionary(d => d.Key, d => d.Value);
        all["customer"] = customerId;
        return GrainFactory.GetGrain<IAuditLogGrain>(tenantId).AppendAsync(
            new AuditDraft(action, subscription.State.StripeSubscriptionId ?? PlatformIds.SubscriptionIdOf(customerId), all));
    }

    private async Task<PlanSnapshot> CurrentPlanAsync()
    {
        var (tenantId, _) = PlatformIds.ParseCustomerKey(this.GetPrimaryKeyString());
        return await GrainFactory.GetGrain<IPlanCatalogGrain>(tenantId).GetAsync(subscription.State.PlanId!)
               ?? throw new PlatformException(PlatformErrorKind.Conflict, "plan_missing", "The subscription's plan no longer exists.");
    }

    /// <summary>
    /// Writes the change with its event staged (one write), brings the entitlements in step, then publishes.
    /// The change is durable first; entitlements and the event follow (an outbox, retried on the next change,
    /// tick or activation; the published event leaves the stored outbox with the next write).
    /// </summary>
    private async Task CommitAsync(string eventType, DateTimeOffset now, PlanSnapshot? plan)
    {
        var state = subscription.State;
        state.Updated = now;
        state.Outbox.Add(new PlatformEvent(PlatformIds.NewEventId(), eventType, now, SubscriptionEventData.Render((await GetAsync())!)));
        await WriteAsync();
        if (!SubscriptionStatuses.IsLive(state.Status) || plan is not null)
        {
            await GrainFactory.GetGrain<IEntitlementsGrain>(this.GetPrimaryKeyString()).GrantAsync(SubscriptionProjection.Grant(state, plan, now));
        }
        await PublishOutboxAsync();
    }

    /// <summary>Every state write goes through here: it also stores the removal of the events already published.</summary>
    private async Task WriteAsync(CancellationToken cancellationToken = default)
    {
        _outbox.DropPublished(subscription.State.Outbox);
        await subscription.WriteStateAsync(cancellationToken);
        await IndexAsync();
    }

    private async Task PublishOutboxAsync()
    {
        var (tenantId, _) = PlatformIds.ParseCustomerKey(this.GetPrimaryKeyString());
        // Events are stamped by the billing clock, so their age is measured by it too.
        var notBefore = clock.GetUtcNow() - webhookOptions.Value.EventRetention;
        if (await _outbox.PublishPendingAsync(subscription.State.Outbox, GrainFactory.GetGrain<ITenantEventsGrain>(tenantId), notBefore) is { } failure)
        {
            logger.LogWarning(failure, "Publishing staged subscription events of {Customer} failed; retried on the next change, tick or activation",
                this.GetPrimaryKeyString());
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
}

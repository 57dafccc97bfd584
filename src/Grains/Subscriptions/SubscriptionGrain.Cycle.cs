using Platform.Grains.Interfaces.Webhooks;

namespace Platform.Grains.Subscriptions;

/// <summary>
/// The platform's own cycle, run by the reminder (and on demand by a test clock's advance): the trial notice, each
/// period's roll-over with its invoice draft, the end at the period's end. Time is the customer's billing time.
/// </summary>
public sealed partial class SubscriptionGrain
{
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != CycleReminder)
        {
            return;
        }
        if (!HasCycleWork)
        {
            await RemoveReminderAsync();
            return;
        }
        await RunCycleAsync();
    }

    public Task TickAsync() => HasCycleWork ? RunCycleAsync() : Task.CompletedTask;

    /// <summary>The cycle drives this subscription, or a closed period still waits for its draft (also after the end).</summary>
    private bool HasCycleWork => SubscriptionCycle.Drives(subscription.State) || subscription.State.PendingDrafts.Count > 0
                                 || subscription.State.PendingItems.Count > 0 || subscription.State.PendingProrationInvoiceId is not null;

    /// <summary>What the reminder and a test clock's advance run: pending drafts, then each due step of the cycle in turn.</summary>
    private async Task RunCycleAsync()
    {
        var state = subscription.State;
        await PublishOutboxAsync();
        await MakePendingDraftsAsync();
        var now = await NowAsync();
        // One step at a time, each its own change: a silo down for days rolls each missed period in turn.
        while (true)
        {
            switch (_cycle.NextStep(state, now))
            {
                case SubscriptionCycleStep.TrialWillEnd:
                    _cycle.MarkTrialWillEnd(state);
                    await CommitAsync(EventTypes.SubscriptionTrialWillEnd, now, null);
                    break;
                case SubscriptionCycleStep.RollPeriod:
                    await RollPeriodAsync(now);
                    break;
                case SubscriptionCycleStep.EndAtPeriodEnd:
                    await EndAtPeriodEndAsync(now);
                    return;
                default:
                    return;
            }
        }
    }

    /// <summary>
    /// One period of a subscription driven here ends and the next begins (<see cref="SubscriptionCycle.RollPeriod"/>),
    /// as one change: one write, one <c>customer.subscription.updated</c>, entitlements for the new period.
    /// Every closed period passes through here exactly once, in order.
    /// </summary>
    private async Task<PeriodRollOver> RollPeriodAsync(DateTimeOffset now)
    {
        var plan = await CurrentPlanAsync();
        var state = subscription.State;
        var rollOver = _cycle.RollPeriod(state, plan.Definition.Interval);
        state.PendingDrafts.Add(ClosedPeriodDraft(plan.Id, rollOver.Closed, rollOver.ClosedWasTrial));
        state.PeriodPlanId = plan.Id;
        await CommitAsync(EventTypes.SubscriptionUpdated, now, plan);
        await MakePendingDraftsAsync();
        return rollOver;
    }

    /// <summary>
    /// A subscription canceled at its period's end: that last period was served, so it is billed like every closed
    /// period (its draft written with the end, one write), then the subscription ends. A draft that could not be made
    /// yet keeps the reminder, which makes it on its next tick.
    /// </summary>
    private async Task EndAtPeriodEndAsync(DateTimeOffset now)
    {
        var state = subscription.State;
        var end = SubscriptionCycle.PeriodEnd(state);
        var last = new BillingPeriod(DateTimeOffset.FromUnixTimeSeconds(state.CurrentPeriodStart ?? end.ToUnixTimeSeconds()), end);
        state.PendingDrafts.Add(ClosedPeriodDraft(state.PlanId!, last, state.Status == SubscriptionStatuses.Trialing));
        await EndAsync(end, now);
        await MakePendingDraftsAsync();
        if (state.PendingDrafts.Count > 0)
        {
            await this.RegisterOrUpdateReminder(CycleReminder, options.Value.ReminderPeriod, options.Value.ReminderPeriod);
        }
    }

    /// <summary>
    /// The closed period's draft. Its coupon: a <c>forever</c> one always; a <c>repeating</c> one while the period starts
    /// before the discount's end (then it is dropped); a <c>once</c> one on this draft only. Written with the roll-over.
    /// </summary>
    private Interfaces.Invoices.InvoiceDraft ClosedPeriodDraft(string planId, BillingPeriod period, bool trial)
    {
        var state = subscription.State;
        Interfaces.Adjustments.InvoiceDiscount? discount = null;
        if (state.Discount is { } d)
        {
            var applies = d.Duration != Interfaces.Adjustments.CouponDurations.Repeating || period.Start < d.End;
            discount = applies ? d.Terms : null;
            if (d.Duration == Interfaces.Adjustments.CouponDurations.Once || (d.End is { } end && period.End >= end))
            {
                state.Discount = null;
            }
        }
        return new Interfaces.Invoices.InvoiceDraft(CustomerId, state.StripeSubscriptionId!, planId, period.Start, period.End,
            state.CollectionMethod ?? Interfaces.Invoices.CollectionMethods.ChargeAutomatically, state.DaysUntilDue, trial, discount,
            state.DefaultTaxRateIds.Count > 0 ? [.. state.DefaultTaxRateIds] : null, state.PeriodPlanId ?? planId, state.Currency);
    }
}

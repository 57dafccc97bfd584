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
        var state = subscription.State;
        if (!SubscriptionCycle.Drives(state))
        {
            await RemoveReminderAsync();
            return;
        }
        await RunCycleAsync();
    }

    public Task TickAsync() => SubscriptionCycle.Drives(subscription.State) || subscription.State.PendingDrafts.Count > 0
        ? RunCycleAsync()
        : Task.CompletedTask;

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
                    await EndAsync(SubscriptionCycle.PeriodEnd(state), now);
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
        var collectionMethod = state.CollectionMethod ?? Interfaces.Invoices.CollectionMethods.ChargeAutomatically;
        state.PendingDrafts.Add(new Interfaces.Invoices.InvoiceDraft(CustomerId, state.StripeSubscriptionId!, plan.Id,
            rollOver.Closed.Start, rollOver.Closed.End, collectionMethod, state.DaysUntilDue, rollOver.ClosedWasTrial));
        await CommitAsync(EventTypes.SubscriptionUpdated, now, plan);
        await MakePendingDraftsAsync();
        return rollOver;
    }
}

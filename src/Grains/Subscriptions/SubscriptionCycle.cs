using Platform.Grains.Interfaces.Plans;

namespace Platform.Grains.Subscriptions;

/// <summary>
/// The platform's own billing cycle for a subscription created here on a tenant's plan: start (a trial is
/// the first period), the trial_will_end notice, period roll-over, cancel at period end, end. Pure: it
/// decides and changes a <see cref="SubscriptionState"/> given the plan and the time, and the grain does
/// the I/O. A subscription that lives at Stripe (<see cref="SubscriptionMirror.IsManagedByStripe"/>) never
/// goes through here: Stripe runs its cycle.
/// </summary>
/// <example>
/// A monthly plan with a 14-day trial, started 2026-01-31 10:00: trialing, period [01-31, 02-14). With a
/// 3-day notice, from 02-11 10:00 <see cref="NextStep"/> is <see cref="SubscriptionCycleStep.TrialWillEnd"/>;
/// at 02-14 10:00 it is <see cref="SubscriptionCycleStep.RollPeriod"/>, which closes [01-31, 02-14) (the trial)
/// and opens [02-14, 03-14), active. A silo down until 04-20 catches up: [03-14, 04-14), then [04-14, 05-14).
/// </example>
public sealed class SubscriptionCycle(TimeSpan trialWillEndNotice)
{
    /// <summary>
    /// This cycle drives the subscription: one on a tenant's plan, not at Stripe, started and not ended.
    /// Anything else needs no reminder.
    /// </summary>
    public static bool Drives(SubscriptionState state) =>
        state.PlanId is not null && !state.ManagedByStripe && state.Status.Length > 0 && !SubscriptionStatuses.IsSubscriptionFinal(state.Status);

    /// <summary>A new subscription on <paramref name="plan"/> from <paramref name="now"/>: trialing when the plan has trial days, else active.</summary>
    public void Start(SubscriptionState state, string subscriptionId, PlanSnapshot plan, DateTimeOffset now)
    {
        var trialEnd = plan.Definition.TrialDays > 0 ? now.AddDays(plan.Definition.TrialDays) : (DateTimeOffset?)null;
        state.StripeSubscriptionId = subscriptionId;
        state.ManagedByStripe = false;
        state.PlanId = plan.Id;
        state.Status = trialEnd is null ? SubscriptionStatuses.Active : SubscriptionStatuses.Trialing;
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
    }

    /// <summary>
    /// What is due at <paramref name="now"/>, one step at a time: the caller applies it and asks again, so a
    /// silo down for several periods rolls each missed period in turn. Only for a state this cycle <see cref="Drives"/>.
    /// </summary>
    public SubscriptionCycleStep NextStep(SubscriptionState state, DateTimeOffset now)
    {
        if (!Drives(state))
        {
            return SubscriptionCycleStep.None;
        }
        if (state.Status == SubscriptionStatuses.Trialing && state.TrialEnd is { } trialEnd && !state.TrialWillEndSent
            && now >= DateTimeOffset.FromUnixTimeSeconds(trialEnd) - trialWillEndNotice)
        {
            return SubscriptionCycleStep.TrialWillEnd;
        }
        if (state.CurrentPeriodEnd is { } end && now >= DateTimeOffset.FromUnixTimeSeconds(end))
        {
            return state.CancelAtPeriodEnd ? SubscriptionCycleStep.EndAtPeriodEnd : SubscriptionCycleStep.RollPeriod;
        }
        return SubscriptionCycleStep.None;
    }

    /// <summary>Records that <c>subscription.trial_will_end</c> is staged for the current trial.</summary>
    public void MarkTrialWillEnd(SubscriptionState state) => state.TrialWillEndSent = true;

    /// <summary>
    /// THE period roll-over: closes the current period [start, end) and opens the next one, one plan interval
    /// long from the old end (same day and time of day); a trial that ends makes the subscription active (dunning's
    /// past_due and unpaid stay).
    /// Returns both periods. Call it only when <see cref="NextStep"/> said <see cref="SubscriptionCycleStep.RollPeriod"/>.
    /// </summary>
    public PeriodRollOver RollPeriod(SubscriptionState state, PlanInterval interval)
    {
        var end = state.CurrentPeriodEnd ?? throw new InvalidOperationException("A subscription without a period cannot roll it.");
        var closedEnd = DateTimeOffset.FromUnixTimeSeconds(end);
        var closed = new BillingPeriod(DateTimeOffset.FromUnixTimeSeconds(state.CurrentPeriodStart ?? end), closedEnd);
        var wasTrial = state.Status == SubscriptionStatuses.Trialing;
        var opened = new BillingPeriod(closedEnd, PlanPeriods.End(closedEnd, interval));
        if (wasTrial)
        {
            // Only the trial's end changes the status: a past_due or unpaid subscription stays so until its invoice is paid.
            state.Status = SubscriptionStatuses.Active;
        }
        state.CurrentPeriodStart = opened.Start.ToUnixTimeSeconds();
        state.CurrentPeriodEnd = opened.End.ToUnixTimeSeconds();
        return new PeriodRollOver(closed, opened, wasTrial);
    }

    /// <summary>When the current period ends (for <see cref="SubscriptionCycleStep.EndAtPeriodEnd"/>).</summary>
    public static DateTimeOffset PeriodEnd(SubscriptionState state) =>
        DateTimeOffset.FromUnixTimeSeconds(state.CurrentPeriodEnd ?? throw new InvalidOperationException("The subscription has no period."));

    /// <summary>Sets the subscription to end when its period does; false when it already was.</summary>
    public bool CancelAtPeriodEnd(SubscriptionState state, DateTimeOffset now)
    {
        if (state.CancelAtPeriodEnd)
        {
            return false;
        }
        state.CancelAtPeriodEnd = true;
        state.CanceledAt = now.ToUnixTimeSeconds();
        return true;
    }

    /// <summary>Ends the subscription at <paramref name="at"/>; a cancellation asked for earlier keeps its own time.</summary>
    public void End(SubscriptionState state, DateTimeOffset at)
    {
        state.Status = SubscriptionStatuses.Canceled;
        state.CanceledAt ??= at.ToUnixTimeSeconds();
        state.EndedAt = at.ToUnixTimeSeconds();
    }
}

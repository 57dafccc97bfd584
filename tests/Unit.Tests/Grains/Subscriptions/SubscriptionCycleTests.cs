using Platform.Grains.Interfaces.Plans;
using Platform.Grains.Subscriptions;

namespace Platform.Unit.Tests.Grains.Subscriptions;

/// <summary>The worked example of <see cref="SubscriptionCycle"/>: a monthly plan with a 14-day trial and a 3-day notice.</summary>
public sealed class SubscriptionCycleTests
{
    private static readonly DateTimeOffset Started = new(2026, 1, 31, 10, 0, 0, TimeSpan.Zero);
    private readonly SubscriptionCycle _cycle = new(TimeSpan.FromDays(3));

    private static PlanSnapshot Plan(int trialDays, PlanInterval interval = PlanInterval.Month) =>
        new("plan_pro", new PlanDraft("pro", "Pro", interval, "usd", 2_000, [], trialDays, []), false, Started, 0);

    private SubscriptionState StartOn(int trialDays, PlanInterval interval = PlanInterval.Month)
    {
        var state = new SubscriptionState { ManagedByStripe = true, CanceledAt = 5, LatestInvoiceId = "in_old" };
        _cycle.Start(state, "sub_1", Plan(trialDays, interval), Started);
        return state;
    }

    private static long At(int month, int day, int hour = 10) => new DateTimeOffset(2026, month, day, hour, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

    [Fact]
    public void Start_WithTrial_IsTrialingForTheTrialAsFirstPeriod()
    {
        var state = StartOn(14);

        Assert.Equal(SubscriptionStatuses.Trialing, state.Status);
        Assert.Equal(("sub_1", "plan_pro", false), (state.StripeSubscriptionId, state.PlanId, state.ManagedByStripe));
        Assert.Equal((At(1, 31), At(2, 14), At(2, 14)), (state.CurrentPeriodStart!.Value, state.CurrentPeriodEnd!.Value, state.TrialEnd!.Value));
        Assert.Null(state.CanceledAt);
        Assert.Null(state.LatestInvoiceId);
        Assert.True(SubscriptionCycle.Drives(state));
    }

    [Fact]
    public void Start_WithoutTrial_IsActiveForOneInterval()
    {
        var state = StartOn(0);

        Assert.Equal(SubscriptionStatuses.Active, state.Status);
        // January 31st plus a month is February 28th (2026 is no leap year).
        Assert.Equal((At(1, 31), At(2, 28)), (state.CurrentPeriodStart!.Value, state.CurrentPeriodEnd!.Value));
        Assert.Null(state.TrialEnd);
    }

    [Fact]
    public void NextStep_TrialWillEnd_FromTheNoticeOnAndOnce()
    {
        var state = StartOn(14);

        Assert.Equal(SubscriptionCycleStep.None, _cycle.NextStep(state, DateTimeOffset.FromUnixTimeSeconds(At(2, 11) - 1)));
        Assert.Equal(SubscriptionCycleStep.TrialWillEnd, _cycle.NextStep(state, DateTimeOffset.FromUnixTimeSeconds(At(2, 11))));
        _cycle.MarkTrialWillEnd(state);
        Assert.Equal(SubscriptionCycleStep.None, _cycle.NextStep(state, DateTimeOffset.FromUnixTimeSeconds(At(2, 13))));
    }

    [Fact]
    public void RollPeriod_AtTrialEnd_ClosesTheTrialAndOpensTheFirstPaidPeriod()
    {
        var state = StartOn(14);
        _cycle.MarkTrialWillEnd(state);

        Assert.Equal(SubscriptionCycleStep.RollPeriod, _cycle.NextStep(state, DateTimeOffset.FromUnixTimeSeconds(At(2, 14))));
        var rollOver = _cycle.RollPeriod(state, PlanInterval.Month);

        Assert.Equal(new PeriodRollOver(Period(At(1, 31), At(2, 14)), Period(At(2, 14), At(3, 14)), ClosedWasTrial: true), rollOver);
        Assert.Equal(SubscriptionStatuses.Active, state.Status);
        Assert.Equal((At(2, 14), At(3, 14)), (state.CurrentPeriodStart!.Value, state.CurrentPeriodEnd!.Value));
    }

    [Fact]
    public void NextStep_AfterDaysDown_CatchesUpOnePeriodAtATime()
    {
        var state = StartOn(14);
        _cycle.MarkTrialWillEnd(state);
        var now = DateTimeOffset.FromUnixTimeSeconds(At(4, 20));
        var closed = new List<PeriodRollOver>();

        while (_cycle.NextStep(state, now) == SubscriptionCycleStep.RollPeriod)
        {
            closed.Add(_cycle.RollPeriod(state, PlanInterval.Month));
        }

        Assert.Equal(
            [
                new PeriodRollOver(Period(At(1, 31), At(2, 14)), Period(At(2, 14), At(3, 14)), true),
                new PeriodRollOver(Period(At(2, 14), At(3, 14)), Period(At(3, 14), At(4, 14)), false),
                new PeriodRollOver(Period(At(3, 14), At(4, 14)), Period(At(4, 14), At(5, 14)), false),
            ],
            closed);
        Assert.Equal(SubscriptionCycleStep.None, _cycle.NextStep(state, now));
    }

    [Fact]
    public void CancelAtPeriodEnd_EndsWhenThePeriodEndsAndKeepsTheCancellationTime()
    {
        var state = StartOn(0);
        var asked = DateTimeOffset.FromUnixTimeSeconds(At(2, 3));

        Assert.True(_cycle.CancelAtPeriodEnd(state, asked));
        Assert.False(_cycle.CancelAtPeriodEnd(state, asked.AddDays(1)));
        Assert.Equal(SubscriptionCycleStep.None, _cycle.NextStep(state, DateTimeOffset.FromUnixTimeSeconds(At(2, 28) - 1)));
        Assert.Equal(SubscriptionCycleStep.EndAtPeriodEnd, _cycle.NextStep(state, DateTimeOffset.FromUnixTimeSeconds(At(3, 2))));

        _cycle.End(state, SubscriptionCycle.PeriodEnd(state));

        Assert.Equal((SubscriptionStatuses.Canceled, At(2, 3), At(2, 28)), (state.Status, state.CanceledAt!.Value, state.EndedAt!.Value));
        Assert.False(SubscriptionCycle.Drives(state));
        Assert.Equal(SubscriptionCycleStep.None, _cycle.NextStep(state, DateTimeOffset.FromUnixTimeSeconds(At(6, 1))));
    }

    [Fact]
    public void Drives_OnlyPlanSubscriptionsMadeHereThatLive()
    {
        Assert.False(SubscriptionCycle.Drives(new SubscriptionState()));
        Assert.False(SubscriptionCycle.Drives(new SubscriptionState { PlanId = "plan_pro", ManagedByStripe = true, Status = SubscriptionStatuses.Active }));
        Assert.False(SubscriptionCycle.Drives(new SubscriptionState { Status = SubscriptionStatuses.Active }));
        Assert.True(SubscriptionCycle.Drives(new SubscriptionState { PlanId = "plan_pro", Status = SubscriptionStatuses.PastDue }));
    }

    [Fact]
    public void RollPeriod_DailyAndYearly_KeepTheTimeOfDay()
    {
        var daily = StartOn(0, PlanInterval.Day);
        Assert.Equal(Period(At(2, 1), At(2, 2)), _cycle.RollPeriod(daily, PlanInterval.Day).Opened);

        var yearly = StartOn(0, PlanInterval.Year);
        var opened = _cycle.RollPeriod(yearly, PlanInterval.Year).Opened;
        Assert.Equal((new DateTimeOffset(2027, 1, 31, 10, 0, 0, TimeSpan.Zero), new DateTimeOffset(2028, 1, 31, 10, 0, 0, TimeSpan.Zero)), (opened.Start, opened.End));
    }

    private static BillingPeriod Period(long start, long end) => new(DateTimeOffset.FromUnixTimeSeconds(start), DateTimeOffset.FromUnixTimeSeconds(end));
}

namespace Platform.Grains.Subscriptions;

/// <summary>What a subscription the platform drives has due now (<see cref="SubscriptionCycle.NextStep"/>).</summary>
public enum SubscriptionCycleStep
{
    /// <summary>Nothing is due.</summary>
    None = 0,

    /// <summary>The trial ends within the notice: <c>subscription.trial_will_end</c> goes out (once per trial).</summary>
    TrialWillEnd = 1,

    /// <summary>The current period ended: the next one begins (<see cref="SubscriptionCycle.RollPeriod"/>).</summary>
    RollPeriod = 2,

    /// <summary>The current period ended and the subscription was set to cancel at its end: it ends then.</summary>
    EndAtPeriodEnd = 3,
}

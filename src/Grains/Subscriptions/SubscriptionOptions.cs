namespace Platform.Grains.Subscriptions;

/// <summary>The <c>Subscriptions</c> configuration section, read by every silo.</summary>
public sealed class SubscriptionOptions
{
    public const string SectionName = "Subscriptions";

    /// <summary>
    /// How often a live subscription created here wakes to end its trial or roll its period, so both
    /// happen without any request; they happen at most this late. Orleans refuses periods below
    /// ReminderOptions.MinimumReminderPeriod (1 minute by default; tests lower both).
    /// </summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long before a trial ends <c>subscription.trial_will_end</c> is published (Stripe: 3 days).</summary>
    public TimeSpan TrialWillEndNotice { get; set; } = TimeSpan.FromDays(3);
}

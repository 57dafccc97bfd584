using Microsoft.Extensions.Options;

namespace Platform.Grains.Subscriptions;

/// <summary>Refuses settings under which trials would never end or periods never roll.</summary>
public sealed class SubscriptionOptionsValidator : IValidateOptions<SubscriptionOptions>
{
    public ValidateOptionsResult Validate(string? name, SubscriptionOptions options) =>
        options.ReminderPeriod <= TimeSpan.Zero || options.TrialWillEndNotice < TimeSpan.Zero
            ? ValidateOptionsResult.Fail("Subscriptions:ReminderPeriod must be positive and Subscriptions:TrialWillEndNotice not negative.")
            : ValidateOptionsResult.Success;
}

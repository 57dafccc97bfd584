using Microsoft.Extensions.Options;

namespace Platform.Grains.StripeWebhooks;

public sealed class StripeWebhookOptionsValidator : IValidateOptions<StripeWebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, StripeWebhookOptions options)
    {
        var failures = new List<string>();
        if (options.Retention < TimeSpan.FromDays(3))
        {
            failures.Add("StripeWebhooks:Retention must be at least 3 days: Stripe retries a delivery for three days.");
        }
        if (options.RetryBaseDelay < TimeSpan.Zero || options.MaxRetryDelay < options.RetryBaseDelay)
        {
            failures.Add("StripeWebhooks:RetryBaseDelay must be >= 0 and <= StripeWebhooks:MaxRetryDelay.");
        }
        if (options.MaxAttempts is < 1 or > 100)
        {
            failures.Add("StripeWebhooks:MaxAttempts must be between 1 and 100.");
        }
        if (options.SweepInterval < TimeSpan.FromMinutes(1))
        {
            failures.Add("StripeWebhooks:SweepInterval must be at least one minute (an Orleans reminder).");
        }
        if (options.BatchSize is < 1 or > 10_000)
        {
            failures.Add("StripeWebhooks:BatchSize must be between 1 and 10000.");
        }
        if (options.ApplyConcurrency is < 1 or > 1_000)
        {
            failures.Add("StripeWebhooks:ApplyConcurrency must be between 1 and 1000.");
        }
        if (options.ApplyQueueCapacity is < 1 or > 1_000_000)
        {
            failures.Add("StripeWebhooks:ApplyQueueCapacity must be between 1 and 1000000.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

using Microsoft.Extensions.Options;

namespace Platform.Grains.Webhooks;

/// <summary>Refuses settings under which deliveries could never succeed or never stop.</summary>
public sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        var failures = new List<string>();
        if (options.MaxAttempts is < 1 or > 50)
        {
            failures.Add("Webhooks:MaxAttempts must be between 1 and 50.");
        }
        if (options.RetryBaseDelay <= TimeSpan.Zero || options.RetryMaxDelay < options.RetryBaseDelay)
        {
            failures.Add("Webhooks:RetryBaseDelay must be positive and at most Webhooks:RetryMaxDelay.");
        }
        if (options.DeliveryTimeout <= TimeSpan.Zero || options.DeliveryTimeout > TimeSpan.FromSeconds(25))
        {
            // A delivery runs inside the endpoint grain's turn; it must end well before Orleans' 30 s call timeout.
            failures.Add("Webhooks:DeliveryTimeout must be positive and at most 25 seconds.");
        }
        if (options.DisableAfter <= TimeSpan.Zero || options.ReminderPeriod <= TimeSpan.Zero || options.EventRetention <= TimeSpan.Zero)
        {
            failures.Add("Webhooks:DisableAfter, ReminderPeriod and EventRetention must be positive.");
        }
        if (options.MaxEndpointsPerTenant < 1)
        {
            failures.Add("Webhooks:MaxEndpointsPerTenant must be positive.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

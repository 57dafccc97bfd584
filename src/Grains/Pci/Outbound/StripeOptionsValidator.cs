using Microsoft.Extensions.Options;

namespace Platform.Grains.Pci.Outbound;

/// <summary>Checked at start-up (ValidateOnStart): a pci silo without a usable Stripe configuration does not start.</summary>
public sealed class StripeOptionsValidator : IValidateOptions<StripeOptions>
{
    public ValidateOptionsResult Validate(string? name, StripeOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.SecretKey))
        {
            failures.Add("Stripe:SecretKey is required on a silo with the pci role (env Stripe__SecretKey). " +
                "Configure it only on pci silos; locally, run.sh starts the Stripe fake and sets it.");
        }
        else if (!options.SecretKey.StartsWith("sk_", StringComparison.Ordinal) && !options.SecretKey.StartsWith("rk_", StringComparison.Ordinal))
        {
            failures.Add("Stripe:SecretKey must be a Stripe secret key (sk_…) or restricted key (rk_…).");
        }
        if (string.IsNullOrWhiteSpace(options.PublishableKey) || !options.PublishableKey.StartsWith("pk_", StringComparison.Ordinal))
        {
            failures.Add("Stripe:PublishableKey (pk_…) is required on a silo with the pci role (env Stripe__PublishableKey).");
        }
        if (options.WebhookSecret is { } webhookSecret && !webhookSecret.StartsWith("whsec_", StringComparison.Ordinal))
        {
            failures.Add("Stripe:WebhookSecret must be a webhook signing secret (whsec_…), as shown on the endpoint in Stripe's dashboard.");
        }
        if (options.PreviousWebhookSecrets.Any(s => !s.StartsWith("whsec_", StringComparison.Ordinal)))
        {
            failures.Add("Stripe:PreviousWebhookSecrets must hold webhook signing secrets (whsec_…) only.");
        }
        if (options.WebhookTolerance is < 1 or > 3600)
        {
            failures.Add("Stripe:WebhookTolerance must be between 1 and 3600 seconds (Stripe's libraries use 300).");
        }
        if (!Uri.TryCreate(options.ApiBase, UriKind.Absolute, out var apiBase) || apiBase.Scheme is not ("https" or "http"))
        {
            failures.Add("Stripe:ApiBase must be an absolute http(s) address.");
        }
        if (options.RequestsPerSecond is < 1 or > 100)
        {
            failures.Add("Stripe:RequestsPerSecond must be between 1 and 100 (Stripe's live-mode limit).");
        }
        if (options.AttemptTimeout <= TimeSpan.Zero || options.RequestTimeout < options.AttemptTimeout
            || options.OperationTimeout < options.RequestTimeout)
        {
            failures.Add("Stripe timeouts must satisfy 0 < AttemptTimeout <= RequestTimeout <= OperationTimeout.");
        }
        if (options.MaxRetries is < 0 or > 10 || options.RetryBaseDelay <= TimeSpan.Zero)
        {
            failures.Add("Stripe:MaxRetries must be 0 to 10 and Stripe:RetryBaseDelay positive.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

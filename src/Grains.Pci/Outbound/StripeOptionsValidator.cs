using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Platform.Grains.Pci.Outbound;

/// <summary>
/// Checked at start-up (ValidateOnStart): a pci silo without a usable Stripe configuration does not start.
/// The key-mode guard is here: a live key (<c>sk_live_…</c>, <c>rk_live_…</c>) runs only in the Production
/// environment, and Production runs only with a live key, so a developer's machine or a test can never
/// charge real cards and production never silently runs on test data. The publishable key's mode must
/// match, and the webhook signing secret must be present.
/// </summary>
public sealed class StripeOptionsValidator(IHostEnvironment environment) : IValidateOptions<StripeOptions>
{
    private static readonly string[] _livePrefixes = ["sk_live_", "rk_live_"];

    public ValidateOptionsResult Validate(string? name, StripeOptions options)
    {
        var failures = new List<string>();
        var live = options.SecretKey is { } key && _livePrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal));
        if (string.IsNullOrWhiteSpace(options.SecretKey))
        {
            failures.Add("Stripe:SecretKey is required on a silo with the pci role (env Stripe__SecretKey). " +
                "Configure it only on pci silos; locally, run.sh starts the Stripe fake and sets it.");
        }
        else if (!options.SecretKey.StartsWith("sk_", StringComparison.Ordinal) && !options.SecretKey.StartsWith("rk_", StringComparison.Ordinal))
        {
            failures.Add("Stripe:SecretKey must be a Stripe secret key (sk_…) or restricted key (rk_…).");
        }
        if (!string.IsNullOrWhiteSpace(options.SecretKey))
        {
            if (environment.IsProduction() && !live)
            {
                failures.Add("Stripe:SecretKey is not a live-mode key (sk_live_… or rk_live_…) but the environment is Production. " +
                    "Production takes payments with live keys only; a test key here would take no real money. " +
                    "Use the live key, or set DOTNET_ENVIRONMENT to the environment this really is.");
            }
            else if (!environment.IsProduction() && live)
            {
                failures.Add($"Stripe:SecretKey is a live-mode key (sk_live_…/rk_live_…) but the environment is '{environment.EnvironmentName}'. " +
                    "Live keys run only in Production, so development and tests can never charge real cards. Use a test key (sk_test_…).");
            }
        }
        if (string.IsNullOrWhiteSpace(options.PublishableKey) || !options.PublishableKey.StartsWith("pk_", StringComparison.Ordinal))
        {
            failures.Add("Stripe:PublishableKey (pk_…) is required on a silo with the pci role (env Stripe__PublishableKey).");
        }
        else if (!string.IsNullOrWhiteSpace(options.SecretKey)
                 && options.PublishableKey.StartsWith("pk_live_", StringComparison.Ordinal) != live)
        {
            failures.Add("Stripe:PublishableKey and Stripe:SecretKey are of different modes (live and test): Stripe.js would create objects the silo cannot see.");
        }
        if (string.IsNullOrWhiteSpace(options.WebhookSecret))
        {
            failures.Add("Stripe:WebhookSecret is required on a silo with the pci role (env Stripe__WebhookSecret): without it Stripe's " +
                "webhook signatures cannot be verified. Use the endpoint's signing secret (whsec_…); locally, run.sh sets the fake's.");
        }
        else if (!options.WebhookSecret.StartsWith("whsec_", StringComparison.Ordinal))
        {
            failures.Add("Stripe:WebhookSecret must be a Stripe webhook signing secret (whsec_…).");
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
        if (options.MeterEventsBase is { Length: > 0 } meterEvents
            && (!Uri.TryCreate(meterEvents, UriKind.Absolute, out var meterEventsBase) || meterEventsBase.Scheme is not ("https" or "http")))
        {
            failures.Add("Stripe:MeterEventsBase must be an absolute http(s) address.");
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

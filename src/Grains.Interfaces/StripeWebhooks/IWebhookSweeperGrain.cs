namespace Platform.Grains.Interfaces.StripeWebhooks;

/// <summary>
/// One per cluster (key 0): on a reminder, retries pending Stripe events whose next attempt is due and
/// purges events older than the retention, in bounded batches.
/// </summary>
[Alias("platform.webhook_sweeper")]
public interface IWebhookSweeperGrain : IGrainWithIntegerKey
{
    /// <summary>Registers the reminder once; cheap to call again.</summary>
    [Alias("ensure_scheduled")]
    Task EnsureScheduledAsync();

    /// <summary>One sweep now (what the reminder does): retries due events, then purges expired ones.</summary>
    [Alias("sweep")]
    Task<WebhookSweepResult> SweepAsync();
}

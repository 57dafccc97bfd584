using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Grains.Interfaces.StripeWebhooks;

namespace Platform.Grains.StripeWebhooks;

/// <summary>
/// The platform's own retry of Stripe events, so none is lost even if Stripe never sends it again: an
/// Orleans reminder (durable, survives restarts) retries pending events whose backoff has passed, then
/// purges events past the retention. Both in bounded batches, so one tick never holds the grain long.
/// </summary>
public sealed class WebhookSweeperGrain(
    StripeEventStore store,
    StripeEventProcessor processor,
    IOptions<StripeWebhookOptions> options,
    TimeProvider clock,
    ILogger<WebhookSweeperGrain> logger) : Grain, IWebhookSweeperGrain, IRemindable
{
    public const string ReminderName = "stripe-webhook-sweep";
    private const int BatchesPerSweep = 4;

    private bool _scheduled;

    public async Task EnsureScheduledAsync()
    {
        if (_scheduled)
        {
            return;
        }
        if (await this.GetReminder(ReminderName) is null)
        {
            var interval = options.Value.SweepInterval;
            await this.RegisterOrUpdateReminder(ReminderName, interval, interval);
        }
        _scheduled = true;
    }

    public async Task<WebhookSweepResult> SweepAsync()
    {
        var settings = options.Value;
        // Due as of the start: an event that fails again is due later, so it is not retried twice in one sweep.
        var start = clock.GetUtcNow();
        int retried = 0, processed = 0, purged = 0;
        for (var batch = 0; batch < BatchesPerSweep; batch++)
        {
            var due = await store.DueAsync(start, settings.BatchSize);
            foreach (var stripeEvent in due)
            {
                retried++;
                if ((await processor.ProcessAsync(stripeEvent)).Status == StripeWebhookEventStatus.Processed)
                {
                    processed++;
                }
            }
            if (due.Count < settings.BatchSize)
            {
                break;
            }
        }
        for (var batch = 0; batch < BatchesPerSweep; batch++)
        {
            var deleted = await store.PurgeAsync(start - settings.Retention, settings.BatchSize);
            purged += deleted;
            if (deleted < settings.BatchSize)
            {
                break;
            }
        }
        if (retried > 0 || purged > 0)
        {
            logger.LogInformation("Stripe webhook sweep: retried {Retried} events ({Processed} now processed), purged {Purged}",
                retried, processed, purged);
        }
        return new WebhookSweepResult(retried, processed, purged);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == ReminderName)
        {
            await SweepAsync();
        }
    }
}

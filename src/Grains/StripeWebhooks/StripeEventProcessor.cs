using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Grains.Interfaces.StripeWebhooks;
using Platform.Grains.Telemetry;

namespace Platform.Grains.StripeWebhooks;

/// <summary>
/// Records a verified event once (the row is committed before anyone answers Stripe) and applies it
/// through its owner. A failing owner leaves the row pending with a retry time for the sweeper; the
/// delivery is still acknowledged, since the event is safe with us.
/// </summary>
public sealed class StripeEventProcessor(
    StripeEventStore store,
    StripeEventWriter writer,
    StripeEventRouter router,
    IOptions<StripeWebhookOptions> options,
    BillingMetrics metrics,
    TimeProvider clock,
    ILogger<StripeEventProcessor> logger)
{
    public async Task<StripeWebhookReceipt> ReceiveAsync(StripeEventData stripeEvent)
    {
        var now = clock.GetUtcNow();
        // The first retry is scheduled already: a silo dying right after this insert loses nothing.
        if (!await writer.InsertAsync(new NewStripeEvent(stripeEvent, now, now + options.Value.RetryDelay(1))))
        {
            metrics.WebhookEventHandled(stripeEvent.Type, "duplicate");
            return new StripeWebhookReceipt(stripeEvent.Id, stripeEvent.Type, Duplicate: true, Status: null, Outcome: null);
        }
        var (status, outcome) = await ProcessAsync(stripeEvent);
        return new StripeWebhookReceipt(stripeEvent.Id, stripeEvent.Type, Duplicate: false, status, outcome);
    }

    /// <summary>Routes a recorded event and records the result (processed, or one more failed attempt).</summary>
    public async Task<(StripeWebhookEventStatus Status, StripeEventOutcome? Outcome)> ProcessAsync(StripeEventData stripeEvent)
    {
        StripeEventOutcome outcome;
        try
        {
            outcome = await router.RouteAsync(stripeEvent);
        }
        catch (Exception exception)
        {
            var settings = options.Value;
            var status = await store.MarkAttemptFailedAsync(stripeEvent.Id, Describe(exception), settings.MaxAttempts,
                settings.RetryDelay, clock.GetUtcNow());
            metrics.WebhookEventHandled(stripeEvent.Type, "failed");
            logger.LogWarning(exception, "Stripe event {EventId} ({Type}) could not be applied; it is {Status}",
                stripeEvent.Id, stripeEvent.Type, status);
            return (status, null);
        }
        await writer.MarkProcessedAsync(new ProcessedStripeEvent(stripeEvent.Id, outcome, clock.GetUtcNow()));
        metrics.WebhookEventHandled(stripeEvent.Type, OutcomeName(outcome));
        return (StripeWebhookEventStatus.Processed, outcome);
    }

    public static string OutcomeName(StripeEventOutcome outcome) => outcome switch
    {
        StripeEventOutcome.Applied => "applied",
        StripeEventOutcome.Stale => "stale",
        _ => "ignored",
    };

    // Stored and shown to operators: the exception's type and our own message, never a stack trace.
    private static string Describe(Exception exception) => exception switch
    {
        Interfaces.Common.PlatformException refusal => $"{refusal.Code}: {refusal.Message}",
        _ => $"{exception.GetType().Name}: {exception.Message}",
    };
}

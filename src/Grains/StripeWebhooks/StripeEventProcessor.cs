using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Grains.Interfaces.StripeWebhooks;
using Platform.Grains.Telemetry;

namespace Platform.Grains.StripeWebhooks;

/// <summary>
/// Records a verified event once and applies it through its owner. The delivery is acknowledged as soon as
/// the row is committed (pending, its first retry already scheduled); the apply runs afterwards on this
/// silo, <see cref="StripeWebhookOptions.ApplyConcurrency"/> at a time. Nothing is lost if the silo stops
/// before an apply is done, or if the owner fails: the row stays pending and the WebhookSweeperGrain
/// retries it. Applying twice is harmless, since every owner is idempotent and order-proof.
/// </summary>
public sealed class StripeEventProcessor : IAsyncDisposable
{
    private readonly StripeEventStore _store;
    private readonly StripeEventWriter _writer;
    private readonly StripeEventRouter _router;
    private readonly IOptions<StripeWebhookOptions> _options;
    private readonly BillingMetrics _metrics;
    private readonly TimeProvider _clock;
    private readonly ILogger<StripeEventProcessor> _logger;
    private readonly Channel<StripeEventData> _applies;
    private readonly Task[] _appliers;

    public StripeEventProcessor(StripeEventStore store, StripeEventWriter writer, StripeEventRouter router,
        IOptions<StripeWebhookOptions> options, BillingMetrics metrics, TimeProvider clock, ILogger<StripeEventProcessor> logger)
    {
        _store = store;
        _writer = writer;
        _router = router;
        _options = options;
        _metrics = metrics;
        _clock = clock;
        _logger = logger;
        _applies = Channel.CreateBounded<StripeEventData>(new BoundedChannelOptions(options.Value.ApplyQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
        });
        _appliers = [.. Enumerable.Range(0, options.Value.ApplyConcurrency).Select(_ => Task.Run(ApplyLoopAsync))];
    }

    /// <summary>
    /// Records the event (once per id) and queues its apply; the receipt says <see cref="StripeWebhookEventStatus.Pending"/>
    /// for a new event, since the owner has not seen it yet, and nothing for a duplicate.
    /// </summary>
    public async Task<StripeWebhookReceipt> ReceiveAsync(StripeEventData stripeEvent)
    {
        var now = _clock.GetUtcNow();
        // The first retry is scheduled already: a silo dying right after this insert loses nothing.
        if (!await _writer.InsertAsync(new NewStripeEvent(stripeEvent, now, now + _options.Value.RetryDelay(1))))
        {
            _metrics.WebhookEventHandled(stripeEvent.Type, "duplicate");
            return new StripeWebhookReceipt(stripeEvent.Id, stripeEvent.Type, Duplicate: true, Status: null, Outcome: null);
        }
        try
        {
            await _applies.Writer.WriteAsync(stripeEvent);
        }
        catch (ChannelClosedException)
        {
            // The silo is stopping: the recorded row is the sweeper's to apply.
        }
        return new StripeWebhookReceipt(stripeEvent.Id, stripeEvent.Type, Duplicate: false, StripeWebhookEventStatus.Pending, Outcome: null);
    }

    /// <summary>Routes a recorded event and records the result (processed, or one more failed attempt).</summary>
    public async Task<(StripeWebhookEventStatus Status, StripeEventOutcome? Outcome)> ProcessAsync(StripeEventData stripeEvent)
    {
        StripeEventOutcome outcome;
        try
        {
            outcome = await _router.RouteAsync(stripeEvent);
        }
        catch (Exception exception)
        {
            var settings = _options.Value;
            var status = await _store.MarkAttemptFailedAsync(stripeEvent.Id, Describe(exception), settings.MaxAttempts,
                settings.RetryDelay, _clock.GetUtcNow());
            _metrics.WebhookEventHandled(stripeEvent.Type, "failed");
            _logger.LogWarning(exception, "Stripe event {EventId} ({Type}) could not be applied; it is {Status}",
                stripeEvent.Id, stripeEvent.Type, status);
            return (status, null);
        }
        await _writer.MarkProcessedAsync(new ProcessedStripeEvent(stripeEvent.Id, outcome, _clock.GetUtcNow()));
        _metrics.WebhookEventHandled(stripeEvent.Type, OutcomeName(outcome));
        return (StripeWebhookEventStatus.Processed, outcome);
    }

    public static string OutcomeName(StripeEventOutcome outcome) => outcome switch
    {
        StripeEventOutcome.Applied => "applied",
        StripeEventOutcome.Stale => "stale",
        _ => "ignored",
    };

    private async Task ApplyLoopAsync()
    {
        await foreach (var stripeEvent in _applies.Reader.ReadAllAsync())
        {
            try
            {
                await ProcessAsync(stripeEvent);
            }
            catch (Exception exception)
            {
                // Recording the result failed (the database, most likely): the row is still pending, the sweeper retries it.
                _logger.LogWarning(exception, "Stripe event {EventId} ({Type}) was applied in the background but its result was not recorded; the sweeper retries it",
                    stripeEvent.Id, stripeEvent.Type);
            }
        }
    }

    /// <summary>Stops taking applies; those queued get a short grace, the rest stay pending for the sweeper.</summary>
    public async ValueTask DisposeAsync()
    {
        _applies.Writer.TryComplete();
        await Task.WhenAny(Task.WhenAll(_appliers), Task.Delay(TimeSpan.FromSeconds(5)));
    }

    // Stored and shown to operators: the exception's type and our own message, never a stack trace.
    private static string Describe(Exception exception) => exception switch
    {
        Interfaces.Common.PlatformException refusal => $"{refusal.Code}: {refusal.Message}",
        _ => $"{exception.GetType().Name}: {exception.Message}",
    };
}

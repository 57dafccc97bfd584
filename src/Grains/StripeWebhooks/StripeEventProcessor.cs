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
/// Group apply, like the writer's group commit: one dispatcher takes whatever is queued when an apply slot
/// frees, and sends the events of one customer's subscription to its grain as one call with one state write
/// (the grain is order-proof, so their order does not matter); the rest go one by one. The dispatch loop
/// runs in <see cref="StripeEventApplyService"/>, a hosted service with the silo's stopping token.
/// </summary>
public sealed class StripeEventProcessor
{
    private readonly StripeEventStore _store;
    private readonly StripeEventWriter _writer;
    private readonly StripeEventRouter _router;
    private readonly IOptions<StripeWebhookOptions> _options;
    private readonly BillingMetrics _metrics;
    private readonly TimeProvider _clock;
    private readonly ILogger<StripeEventProcessor> _logger;
    private const int MaxDispatch = 1_000;

    private readonly Channel<StripeEventData> _applies;
    private readonly SemaphoreSlim _slots;

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
        _slots = new SemaphoreSlim(options.Value.ApplyConcurrency);
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
            return (await FailedAsync(stripeEvent, exception), null);
        }
        await ProcessedAsync(stripeEvent, outcome);
        return (StripeWebhookEventStatus.Processed, outcome);
    }

    /// <summary>Applies events of one customer's subscription (<see cref="StripeEventRouter.SubscriptionKeyOf"/>) together.</summary>
    private async Task ProcessManyAsync(string customerKey, IReadOnlyList<StripeEventData> stripeEvents)
    {
        IReadOnlyList<StripeEventOutcome> outcomes;
        try
        {
            outcomes = await _router.RouteToSubscriptionAsync(customerKey, stripeEvents);
        }
        catch (Exception exception)
        {
            foreach (var stripeEvent in stripeEvents)
            {
                await FailedAsync(stripeEvent, exception);
            }
            return;
        }
        await Task.WhenAll(stripeEvents.Select((stripeEvent, i) => ProcessedAsync(stripeEvent, outcomes[i])));
    }

    private async Task ProcessedAsync(StripeEventData stripeEvent, StripeEventOutcome outcome)
    {
        await _writer.MarkProcessedAsync(new ProcessedStripeEvent(stripeEvent.Id, outcome, _clock.GetUtcNow()));
        _metrics.WebhookEventHandled(stripeEvent.Type, OutcomeName(outcome));
    }

    private async Task<StripeWebhookEventStatus> FailedAsync(StripeEventData stripeEvent, Exception exception)
    {
        var settings = _options.Value;
        var status = await _store.MarkAttemptFailedAsync(stripeEvent.Id, Describe(exception), settings.MaxAttempts,
            settings.RetryDelay, _clock.GetUtcNow());
        _metrics.WebhookEventHandled(stripeEvent.Type, "failed");
        _logger.LogWarning(exception, "Stripe event {EventId} ({Type}) could not be applied; it is {Status}",
            stripeEvent.Id, stripeEvent.Type, status);
        return status;
    }

    public static string OutcomeName(StripeEventOutcome outcome) => outcome switch
    {
        StripeEventOutcome.Applied => "applied",
        StripeEventOutcome.Stale => "stale",
        _ => "ignored",
    };

    /// <summary>Takes queued applies until the queue is closed (<see cref="StopTakingAsync"/>) or <paramref name="stopping"/> fires.</summary>
    public async Task DispatchAsync(CancellationToken stopping)
    {
        var batch = new List<StripeEventData>();
        var bySubscription = new Dictionary<string, List<StripeEventData>>(StringComparer.Ordinal);
        while (await _applies.Reader.WaitToReadAsync(stopping))
        {
            // A slot first: while all are busy the queue grows, and the next take groups more per customer.
            await _slots.WaitAsync(stopping);
            batch.Clear();
            bySubscription.Clear();
            while (batch.Count < MaxDispatch && _applies.Reader.TryRead(out var stripeEvent))
            {
                batch.Add(stripeEvent);
            }
            var work = new List<Func<Task>>();
            foreach (var stripeEvent in batch)
            {
                if (StripeEventRouter.SubscriptionKeyOf(stripeEvent) is { } customerKey)
                {
                    if (!bySubscription.TryGetValue(customerKey, out var events))
                    {
                        bySubscription[customerKey] = events = [];
                        work.Add(() => ProcessManyAsync(customerKey, events));
                    }
                    events.Add(stripeEvent);
                }
                else
                {
                    work.Add(() => ProcessAsync(stripeEvent));
                }
            }
            for (var i = 0; i < work.Count; i++)
            {
                if (i > 0)
                {
                    await _slots.WaitAsync(stopping);
                }
                _ = RunInSlotAsync(work[i]);
            }
            if (work.Count == 0)
            {
                _slots.Release();
            }
        }
    }

    private async Task RunInSlotAsync(Func<Task> apply)
    {
        try
        {
            await apply();
        }
        catch (Exception exception)
        {
            // Recording the result failed (the database, most likely): the rows stay pending, the sweeper retries them.
            _logger.LogWarning(exception, "A background apply of Stripe events could not record its result; the sweeper retries them");
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>
    /// Stops taking applies; the dispatcher and those queued get a short grace, the rest stay pending for the sweeper.
    /// </summary>
    public async Task StopTakingAsync(Task dispatcher)
    {
        _applies.Writer.TryComplete();
        var grace = Task.Delay(TimeSpan.FromSeconds(5));
        await Task.WhenAny(dispatcher, grace);
        for (var i = 0; i < _options.Value.ApplyConcurrency && !grace.IsCompleted; i++)
        {
            await Task.WhenAny(_slots.WaitAsync(), grace);
        }
    }

    // Stored and shown to operators: the exception's type and our own message, never a stack trace.
    private static string Describe(Exception exception) => exception switch
    {
        Interfaces.Common.PlatformException refusal => $"{refusal.Code}: {refusal.Message}",
        _ => $"{exception.GetType().Name}: {exception.Message}",
    };
}

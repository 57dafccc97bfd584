using System.Collections.Concurrent;
using System.Text.Json;

namespace Platform.Bench.Chaos;

/// <summary>
/// Stripe webhook deliveries to one API host at a steady rate (POST /v1/stripe/webhook, signed, no credential):
/// each tick sends the next version of a random customer's subscription; about one tick in eight sends two new
/// versions newest first (out of order); about one in five repeats an event acknowledged earlier (it must come
/// back <c>duplicate</c>). Retried like Stripe does, the same body signed anew, after a 5xx, a 429, a timeout or a
/// broken connection. A reader fetches the mirrored subscriptions to catch one moving backwards.
/// </summary>
public sealed class WebhookTraffic(ApiCaller api, SubscriptionTimeline timeline)
{
    public const string Kind = "webhook";
    public const string ReadKind = "webhook_read";
    public const string Path = "/v1/stripe/webhook";
    private int _repeatsSent;
    private int _outOfOrderPairs;

    public ConcurrentBag<string> Violations { get; } = [];

    public int RepeatsSent => Volatile.Read(ref _repeatsSent);

    public int OutOfOrderPairs => Volatile.Read(ref _outOfOrderPairs);

    public async Task RunAsync(TimeSpan every, List<Task> inFlight, CancellationToken hardStop, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(every);
        while (await Tick(timer, stop))
        {
            var roll = Random.Shared.NextDouble();
            Task delivery;
            if (roll < 0.2 && timeline.AnyAcknowledged() is { } earlier)
            {
                Interlocked.Increment(ref _repeatsSent);
                delivery = DeliverAsync(earlier, repeat: true, hardStop);
            }
            else if (roll < 0.325)
            {
                Interlocked.Increment(ref _outOfOrderPairs);
                var customer = Random.Shared.Next(timeline.Customers.Count);
                var older = timeline.Next(customer);
                var newer = timeline.Next(customer);
                delivery = DeliverInTurnAsync(newer, older, hardStop);
            }
            else
            {
                delivery = DeliverAsync(timeline.Next(Random.Shared.Next(timeline.Customers.Count)), repeat: false, hardStop);
            }
            lock (inFlight)
            {
                inFlight.Add(delivery);
            }
        }
    }

    public async Task ReadAsync(TimeSpan every, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(every);
        while (await Tick(timer, stop))
        {
            // Not cancelled by the stop: a read in flight then finishes (within the request timeout) instead of throwing.
            await ObserveAsync(Random.Shared.Next(timeline.Customers.Count), CancellationToken.None);
        }
    }

    /// <summary>Shows the customer's mirrored subscription (404: none yet); null when the read failed.</summary>
    public async Task<SubscriptionVersion?> ObserveAsync(int customer, CancellationToken cancellationToken)
    {
        var (outcome, body) = await api.SendAsync(ReadKind, HttpMethod.Get, $"/v1/customers/{timeline.Customers[customer]}/subscription", null, null, cancellationToken);
        SubscriptionVersion? seen = outcome.Status switch
        {
            404 => SubscriptionVersion.None,
            _ when outcome.Succeeded && body is { } json => Read(json),
            _ => null,
        };
        if (seen is { } version)
        {
            timeline.Observations[customer].Enqueue((outcome.Start, outcome.End, version));
        }
        return seen;
    }

    private static SubscriptionVersion Read(JsonElement subscription)
    {
        var items = subscription.GetProperty("items");
        var quantity = items.GetArrayLength() > 0 ? (int)items[0].GetProperty("quantity").GetInt64() : 0;
        return SubscriptionVersion.Of(subscription.GetProperty("status").GetString()!, quantity);
    }

    private async Task DeliverInTurnAsync(StripeEventRecord first, StripeEventRecord second, CancellationToken hardStop)
    {
        await DeliverAsync(first, repeat: false, hardStop);
        await DeliverAsync(second, repeat: false, hardStop);
    }

    private async Task DeliverAsync(StripeEventRecord record, bool repeat, CancellationToken hardStop)
    {
        var (outcome, reply) = await Retrying.SendAsync(async () =>
        {
            var result = await api.DeliverStripeEventAsync(Kind, Path, record.Payload, timeline.Sign(record.Payload), hardStop);
            bool? duplicate = result.Outcome.Succeeded && result.Body is { } json && json.TryGetProperty("duplicate", out var flag)
                ? flag.GetBoolean() : null;
            record.Deliveries.Enqueue((result.Outcome.Phase, result.Outcome.Host, result.Outcome.StatusLabel, duplicate, repeat));
            return result;
        }, hardStop);
        if (outcome.Succeeded)
        {
            if (repeat && !(reply is { } json && json.TryGetProperty("duplicate", out var duplicate) && duplicate.GetBoolean()))
            {
                Violations.Add($"event {record.EventId} was acknowledged earlier, then accepted as new again: {reply}");
            }
            timeline.Acknowledge(record);
        }
        else if (outcome.Status is >= 400 and < 500 and not 429)
        {
            Violations.Add($"webhook {record.EventId} refused with {outcome.Status}: {reply}");
        }
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken stop)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stop);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}

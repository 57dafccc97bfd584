using System.Collections.Concurrent;

namespace Platform.Bench.Chaos;

/// <summary>
/// Payments from one API host at a steady rate: POST /v1/payment_intents (confirmed, with the customer's
/// card), each with its own Idempotency-Key and retried with that same key on 5xx and timeouts, as a real
/// client would. A reader also re-fetches acknowledged payments to catch a status moving backwards.
/// </summary>
public sealed class PaymentTraffic(ApiCaller api, IReadOnlyList<(string Customer, string PaymentMethod)> customers, string runId)
{
    public const string Kind = "payment";
    public const string ReadKind = "payment_read";
    private int _count;

    public ConcurrentDictionary<string, PaymentRecord> Payments { get; } = new(StringComparer.Ordinal);

    public ConcurrentBag<string> Violations { get; } = [];

    public async Task RunAsync(TimeSpan every, List<Task> inFlight, CancellationToken hardStop, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(every);
        while (await Tick(timer, stop))
        {
            lock (inFlight)
            {
                inFlight.Add(PayAsync(Interlocked.Increment(ref _count), hardStop));
            }
        }
    }

    public async Task ReadAsync(TimeSpan every, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(every);
        while (await Tick(timer, stop))
        {
            var acknowledged = Payments.Values.Where(p => p.Acknowledged).ToArray();
            if (acknowledged.Length > 0)
            {
                // Not cancelled by the stop: a read in flight then finishes (within the request timeout) instead of throwing.
                await ObserveAsync(acknowledged[Random.Shared.Next(acknowledged.Length)], ReadKind, CancellationToken.None);
            }
        }
    }

    /// <summary>A last look at every acknowledged payment once the faults are over.</summary>
    public async Task ObserveAllAsync(CancellationToken cancellationToken)
    {
        foreach (var payment in Payments.Values.Where(p => p.Acknowledged))
        {
            await ObserveAsync(payment, ReadKind, cancellationToken);
        }
    }

    private async Task ObserveAsync(PaymentRecord payment, string kind, CancellationToken cancellationToken)
    {
        var (outcome, body) = await api.SendAsync(kind, HttpMethod.Get, $"/v1/payment_intents/{payment.PaymentId}", null, null, cancellationToken);
        if (outcome.Succeeded && body is { } json)
        {
            payment.Observations.Enqueue((outcome.Start, outcome.End, json.GetProperty("status").GetString()!));
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

    private async Task PayAsync(int n, CancellationToken hardStop)
    {
        var (customer, paymentMethod) = customers[Random.Shared.Next(customers.Count)];
        var payment = new PaymentRecord($"{runId}-{api.Host}-pay-{n}", api.Host, customer);
        Payments[payment.IdempotencyKey] = payment;
        var body = new { customer, amount = 100 + n, currency = "usd", payment_method = paymentMethod, confirm = true };
        var (outcome, reply) = await Retrying.SendAsync(api, Kind, HttpMethod.Post, "/v1/payment_intents", body, payment.IdempotencyKey, hardStop);
        if (outcome.Succeeded && reply is { } json)
        {
            payment.PaymentId = json.GetProperty("id").GetString();
            payment.StripeId = json.TryGetProperty("stripe_id", out var stripeId) ? stripeId.GetString() : null;
            payment.Observations.Enqueue((outcome.Start, outcome.End, json.GetProperty("status").GetString()!));
        }
        else if (outcome.Status is >= 400 and < 500 and not 429)
        {
            payment.FinalRefusal = outcome.Status;
            Violations.Add($"payment {payment.IdempotencyKey} refused with {outcome.Status}: {reply}");
        }
    }
}

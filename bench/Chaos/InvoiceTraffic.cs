using System.Collections.Concurrent;
using System.Text.Json;

namespace Platform.Bench.Chaos;

/// <summary>
/// Period ends under faults (issue 18): one test clock with a few customers on the daily plan, driven from one API
/// host. Each step reports usage into every subscription's current period, then advances the clock past that
/// period's end and its grace (a day, + 2 h), so the advance makes each period's draft, finalizes it and charges it
/// before it answers. An advance that fails (5xx, timeout, broken connection) is retried as a client would: read the
/// clock first and, when the failed attempt already moved it, ask for a time a second later (a clock only moves forward).
/// </summary>
public sealed class InvoiceTraffic(ApiCaller api, string clockId, IReadOnlyList<InvoiceSubscription> subscriptions, string runId)
{
    public const string UsageKind = "invoice_usage";
    public const string AdvanceKind = "advance";
    public const string ClockReadKind = "clock_read";
    public static readonly TimeSpan Day = TimeSpan.FromDays(1);

    /// <summary>The grace (Invoices:GracePeriod, 1 h) and an hour more: each step's advance finalizes the period it closes.</summary>
    public static readonly TimeSpan PastGrace = TimeSpan.FromHours(2);

    /// <summary>
    /// Periods a run may close: the usage meter refuses events older than 35 days of real time, so the clock starts
    /// <see cref="DaysBack"/> days back and never passes today.
    /// </summary>
    public const int DaysBack = 33;
    public const int MaxPeriods = DaysBack - 2;

    private int _retries;

    public string ClockId { get; } = clockId;
    public IReadOnlyList<InvoiceSubscription> Subscriptions { get; } = subscriptions;
    public ConcurrentDictionary<string, UsageEventRecord> Events { get; } = new(StringComparer.Ordinal);
    public ConcurrentBag<string> Violations { get; } = [];

    /// <summary>Periods closed by the advances that answered 2xx (the settling one included).</summary>
    public int PeriodsAdvanced { get; private set; }

    public int AdvanceRetries => Volatile.Read(ref _retries);

    /// <summary>The clock's time after the last advance that answered.</summary>
    public DateTimeOffset FrozenTime { get; private set; }

    private DateTimeOffset Start => Subscriptions[0].Start;

    /// <summary>Step after step, at most one per <paramref name="every"/>, until the stop or <see cref="MaxPeriods"/> (the last left to <see cref="SettleAsync"/>).</summary>
    public async Task RunAsync(TimeSpan every, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested && PeriodsAdvanced < MaxPeriods - 1)
        {
            var stepStarted = DateTimeOffset.UtcNow;
            await StepAsync(stop);
            var wait = stepStarted + every - DateTimeOffset.UtcNow;
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>One more step once the faults are over: whatever an interrupted advance left (a draft, a charge) is done by it.</summary>
    public Task SettleAsync() => StepAsync(CancellationToken.None);

    private async Task StepAsync(CancellationToken stop)
    {
        var period = PeriodsAdvanced;
        if (!await ReportUsageAsync(period) || stop.IsCancellationRequested)
        {
            return;
        }
        if (await AdvanceAsync(Start + (period + 1) * Day + PastGrace))
        {
            PeriodsAdvanced = period + 1;
        }
    }

    /// <summary>Two events per subscription, dated inside the period; retried with the same event ids until answered.</summary>
    private async Task<bool> ReportUsageAsync(int period)
    {
        var from = Start + period * Day;
        var events = new List<UsageEventRecord>();
        var timestamps = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (subscription, s) in Subscriptions.Select((x, i) => (x, i)))
        {
            for (var i = 0; i < 2; i++)
            {
                // Sizes cross the tiers (100, 1,000) so the graduated pricing is exercised, not just its first tier.
                var record = Events.GetOrAdd($"{runId}-{ClockId}-{s}-{period}-{i}",
                    id => new UsageEventRecord(id, subscription.CustomerId, "api_calls", Random.Shared.Next(1, 700)));
                events.Add(record);
                timestamps[record.EventId] = (from + TimeSpan.FromMinutes(5 + (37 * period + 11 * s + i) % 1400)).ToUnixTimeSeconds();
            }
        }
        var body = new
        {
            events = events.Select(e => new { event_id = e.EventId, customer = e.CustomerId, metric = e.Metric, quantity = e.Quantity, timestamp = timestamps[e.EventId] })
                .ToArray(),
        };
        var (outcome, reply) = await Retrying.SendAsync(api, UsageKind, HttpMethod.Post, "/v1/usage_events", body, null, CancellationToken.None);
        if (!outcome.Succeeded || reply is not { } json)
        {
            if (outcome.Status is >= 400 and < 500 and not 429)
            {
                Violations.Add($"invoice usage of period {period} on {ClockId} refused with {outcome.Status}: {reply}");
            }
            return false;
        }
        foreach (var result in json.GetProperty("data").EnumerateArray())
        {
            var eventId = result.GetProperty("event_id").GetString()!;
            var status = result.GetProperty("status").GetString();
            if (status is "accepted" or "duplicate" && Events.TryGetValue(eventId, out var record))
            {
                record.Acknowledged = true;
            }
            else
            {
                // The period is still open (only this loop moves the clock): nothing may be refused.
                Violations.Add($"invoice usage event {eventId} (period {period}) came back {status}: {result}");
            }
        }
        return true;
    }

    /// <summary>Advances to <paramref name="target"/> or, when a failed attempt already stored it, to a second past the clock's time.</summary>
    private async Task<bool> AdvanceAsync(DateTimeOffset target)
    {
        var giveUp = DateTimeOffset.UtcNow + Retrying.Deadline;
        var delay = TimeSpan.FromMilliseconds(500);
        var to = target;
        while (true)
        {
            var (outcome, reply) = await api.SendAsync(AdvanceKind, HttpMethod.Post, $"/v1/test_clocks/{ClockId}/advance",
                new { frozen_time = to.ToUnixTimeSeconds() }, null, CancellationToken.None);
            if (outcome.Succeeded && reply is { } clock)
            {
                FrozenTime = DateTimeOffset.FromUnixTimeSeconds(clock.GetProperty("frozen_time").GetInt64());
                if (FrozenTime != to)
                {
                    Violations.Add($"advance of {ClockId} to {to.ToUnixTimeSeconds()} answered frozen_time {FrozenTime.ToUnixTimeSeconds()}");
                }
                return true;
            }
            if (outcome.Status is >= 400 and < 500 and not 400 and not 429)
            {
                Violations.Add($"advance of {ClockId} to {to.ToUnixTimeSeconds()} refused with {outcome.StatusLabel}: {reply}");
                return false;
            }
            if (DateTimeOffset.UtcNow + delay > giveUp)
            {
                Violations.Add($"advance of {ClockId} to {target.ToUnixTimeSeconds()} gave up after {Retrying.Deadline.TotalSeconds} s: last {outcome.StatusLabel}");
                return false;
            }
            Interlocked.Increment(ref _retries);
            await Task.Delay(delay);
            delay = TimeSpan.FromMilliseconds(Math.Min(4000, delay.TotalMilliseconds * 2));
            if (await ReadClockAsync() is { } current && current >= to)
            {
                // The failed attempt stored the time before it broke (the work it left is done by this later one).
                to = current + TimeSpan.FromSeconds(1);
            }
            else if (outcome.Status == 400)
            {
                // A 400 is expected only for a time the clock already has.
                Violations.Add($"advance of {ClockId} to {to.ToUnixTimeSeconds()} refused with 400 though the clock is behind it: {reply}");
                return false;
            }
        }
    }

    private async Task<DateTimeOffset?> ReadClockAsync()
    {
        var (outcome, reply) = await Retrying.SendAsync(api, ClockReadKind, HttpMethod.Get, $"/v1/test_clocks/{ClockId}", null, null, CancellationToken.None);
        return outcome.Succeeded && reply is { } clock ? DateTimeOffset.FromUnixTimeSeconds(clock.GetProperty("frozen_time").GetInt64()) : null;
    }

    /// <summary>A test clock <see cref="DaysBack"/> days back on <paramref name="api"/>'s tenant, <paramref name="customers"/> customers on it with pm_card_visa, each subscribed to <paramref name="plan"/>.</summary>
    public static async Task<InvoiceTraffic> CreateAsync(ApiCaller api, string plan, int customers, int index, string runId)
    {
        var start = DateTimeOffset.FromUnixTimeSeconds((DateTimeOffset.UtcNow - TimeSpan.FromDays(DaysBack)).ToUnixTimeSeconds());
        var clock = await SetupAsync(api, "/v1/test_clocks", new { frozen_time = start.ToUnixTimeSeconds(), name = $"chaos {index}" });
        var clockId = clock.GetProperty("id").GetString()!;
        var subscriptions = new List<InvoiceSubscription>();
        for (var i = 0; i < customers; i++)
        {
            var customer = (await SetupAsync(api, "/v1/customers", new { name = $"Billed {index}.{i}", test_clock = clockId })).GetProperty("id").GetString()!;
            await SetupAsync(api, "/v1/payment_methods/pm_card_visa/attach", new { customer });
            var subscription = await SetupAsync(api, "/v1/subscriptions", new { customer, plan });
            var periodStart = DateTimeOffset.FromUnixTimeSeconds(subscription.GetProperty("current_period_start").GetInt64());
            if (periodStart != start)
            {
                throw new InvalidOperationException($"subscription of {customer} starts at {periodStart}, not at its clock's time {start}");
            }
            subscriptions.Add(new InvoiceSubscription(customer, subscription.GetProperty("id").GetString()!, periodStart));
        }
        return new InvoiceTraffic(api, clockId, subscriptions, runId);
    }

    public static async Task<JsonElement> SetupAsync(ApiCaller api, string path, object body)
    {
        var (outcome, reply) = await Retrying.SendAsync(api, "setup", HttpMethod.Post, path, body, null, CancellationToken.None);
        return outcome.Succeeded && reply is { } json ? json : throw new InvalidOperationException($"setup request {path} failed: {outcome.StatusLabel} {reply}");
    }
}

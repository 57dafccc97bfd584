using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Npgsql;

namespace Platform.Bench.Chaos;

/// <summary>The invariants, checked after the run against PostgreSQL, the API and the Stripe fake's own records.</summary>
public sealed partial class Checks(string connectionString, string tenantId, Stack stack, Verdict verdict)
{
    private static readonly string[] _writeKinds = [UsageTraffic.Kind, PaymentTraffic.Kind, WebhookTraffic.Kind];

    public async Task UsageAsync(IReadOnlyList<UsageTraffic> traffic, IReadOnlyList<string> customers, ApiCaller api)
    {
        var logged = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT event_id, count(*) FROM usage_events WHERE tenant_id = @t GROUP BY event_id", connection);
            command.Parameters.AddWithValue("t", tenantId);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                logged[reader.GetString(0)] = reader.GetInt64(1);
            }
        }
        var events = traffic.SelectMany(t => t.Events.Values).ToArray();
        var acknowledged = events.Where(e => e.Acknowledged).ToArray();
        var lost = acknowledged.Where(e => !logged.ContainsKey(e.EventId)).ToArray();
        var duplicated = logged.Count(l => l.Value > 1);
        var unacknowledgedButLogged = events.Count(e => !e.Acknowledged && logged.ContainsKey(e.EventId));
        verdict.Lines.Add($"usage events : sent {events.Length} (+{traffic.Sum(t => t.RepeatsSent)} deliberate repeats), acknowledged {acknowledged.Length}, " +
            $"lost {lost.Length}, duplicated {duplicated}, never acknowledged {events.Length - acknowledged.Length} (of which in the log {unacknowledgedButLogged})");
        verdict.Check(lost.Length == 0, $"{lost.Length} acknowledged usage events are not in usage_events, e.g. {string.Join(", ", lost.Take(3).Select(e => e.EventId))}");
        verdict.Check(duplicated == 0, $"{duplicated} usage events are in usage_events more than once");
        foreach (var violation in traffic.SelectMany(t => t.Violations).Take(10))
        {
            verdict.Failures.Add(violation);
        }

        var mismatches = 0;
        foreach (var customer in customers)
        {
            var (outcome, body) = await Retrying.SendAsync(api, "usage_read", HttpMethod.Get, $"/v1/customers/{customer}/usage", null, null, CancellationToken.None);
            if (!outcome.Succeeded || body is not { } summary)
            {
                verdict.Failures.Add($"GET usage of {customer} answered {outcome.StatusLabel}");
                continue;
            }
            var from = summary.GetProperty("from").GetInt64();
            var to = summary.GetProperty("to").GetInt64();
            var sql = await SqlAggregateAsync(customer, from, to);
            var api2 = summary.GetProperty("data").EnumerateArray().ToDictionary(
                m => m.GetProperty("metric").GetString()!, m => (m.GetProperty("sum").GetDecimal(), m.GetProperty("count").GetInt64()), StringComparer.Ordinal);
            foreach (var metric in sql.Keys.Union(api2.Keys))
            {
                var expected = sql.GetValueOrDefault(metric);
                var actual = api2.GetValueOrDefault(metric);
                if (expected != actual)
                {
                    mismatches++;
                    verdict.Failures.Add($"usage of {customer} {metric}: API sum {actual.Item1} count {actual.Item2}, SQL sum {expected.Item1} count {expected.Item2}");
                }
            }
        }
        verdict.Lines.Add($"usage totals : {customers.Count} customers, API aggregate vs SQL aggregate mismatches {mismatches}");
    }

    private async Task<Dictionary<string, (decimal, long)>> SqlAggregateAsync(string customer, long from, long to)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT metric, sum(quantity), count(*) FROM usage_events
            WHERE tenant_id = @t AND customer_id = @c AND ts >= to_timestamp(@from) AND ts < to_timestamp(@to)
            GROUP BY metric
            """, connection);
        command.Parameters.AddWithValue("t", tenantId);
        command.Parameters.AddWithValue("c", customer);
        command.Parameters.AddWithValue("from", (double)from);
        command.Parameters.AddWithValue("to", (double)to);
        var result = new Dictionary<string, (decimal, long)>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            result[reader.GetString(0)] = (reader.GetDecimal(1) / 1.0000000000000000000000000000m, reader.GetInt64(2));
        }
        return result;
    }

    public async Task PaymentsAsync(IReadOnlyList<PaymentTraffic> traffic)
    {
        using var fake = new HttpClient { BaseAddress = stack.StripeFakeUrl, Timeout = TimeSpan.FromSeconds(60) };
        fake.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", stack.StripeKey);
        // The fake's objects: every PaymentIntent it holds, by the payment id our metadata names.
        var atStripe = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var intent in await FakePaymentIntentsAsync(fake))
        {
            var metadata = intent.GetProperty("metadata");
            if (metadata.TryGetProperty("tenant_id", out var tenant) && tenant.GetString() == tenantId
                && metadata.TryGetProperty("payment_id", out var paymentId))
            {
                atStripe.TryAdd(paymentId.GetString()!, []);
                atStripe[paymentId.GetString()!].Add(intent.GetProperty("id").GetString()!);
            }
        }
        // The fake's request log: a creation Stripe really performed (not an idempotent replay), per key.
        var requests = JsonDocument.Parse(await fake.GetStringAsync("/_fake/requests")).RootElement;
        var performedTwice = requests.EnumerateArray()
            .Where(r => r.GetProperty("method").GetString() == "POST" && r.GetProperty("path").GetString() == "/v1/payment_intents"
                && r.GetProperty("status_code").GetInt32() == 200 && !r.GetProperty("replayed").GetBoolean())
            .GroupBy(r => r.GetProperty("idempotency_key").GetString() ?? "")
            .Count(g => g.Count() > 1);

        var payments = traffic.SelectMany(t => t.Payments.Values).ToArray();
        var acknowledged = payments.Where(p => p.Acknowledged).ToArray();
        var missing = acknowledged.Where(p => !atStripe.TryGetValue(p.PaymentId!, out var ids) || !ids.Contains(p.StripeId ?? "")).ToArray();
        var doubled = atStripe.Count(s => s.Value.Count > 1);
        var unacknowledgedAtStripe = atStripe.Keys.Except(acknowledged.Select(p => p.PaymentId!), StringComparer.Ordinal).Count();
        var backwards = payments.Where(p => MovedBackwards(p) is not null).ToArray();
        verdict.Lines.Add($"payments     : keys {payments.Length}, acknowledged {acknowledged.Length}, at Stripe {atStripe.Count}, " +
            $"created twice {doubled} (request log: {performedTwice}), acknowledged but missing at Stripe {missing.Length}, " +
            $"at Stripe but never acknowledged {unacknowledgedAtStripe}, refused {payments.Count(p => p.FinalRefusal is not null)}, " +
            $"status observations {payments.Sum(p => p.Observations.Count)}, backwards transitions {backwards.Length}");
        verdict.Check(doubled == 0 && performedTwice == 0, $"{doubled} payments were created more than once at Stripe ({performedTwice} keys performed twice)");
        verdict.Check(missing.Length == 0, $"{missing.Length} acknowledged payments are missing at Stripe, e.g. {string.Join(", ", missing.Take(3).Select(p => p.PaymentId))}");
        verdict.Check(backwards.Length == 0, $"{backwards.Length} payments moved backwards, e.g. {string.Join("; ", backwards.Take(3).Select(MovedBackwards))}");
        foreach (var violation in traffic.SelectMany(t => t.Violations).Take(10))
        {
            verdict.Failures.Add(violation);
        }
    }

    /// <summary>
    /// Stripe webhooks: every acknowledged event is in platform_webhook_events once and ends processed (the
    /// sweeper may apply it later, so this polls up to <paramref name="processingDeadline"/>), was routed to its
    /// customer, and each customer's mirrored subscription is the newest recorded version (an ended one stays
    /// ended); no read ever showed it moving backwards.
    /// </summary>
    public async Task WebhooksAsync(IReadOnlyList<WebhookTraffic> traffic, SubscriptionTimeline timeline, TimeSpan processingDeadline)
    {
        var events = timeline.Events.Values.ToArray();
        var acknowledged = events.Where(e => e.Acknowledged).ToArray();
        var waitStarted = DateTimeOffset.UtcNow;
        Dictionary<string, (long Count, short Status, short? Outcome)> recorded;
        while (true)
        {
            recorded = await RecordedStripeEventsAsync(timeline.EventIdPrefix);
            var unfinished = acknowledged.Count(e => !recorded.TryGetValue(e.EventId, out var row) || row.Status == 1);
            if (unfinished == 0 || DateTimeOffset.UtcNow - waitStarted > processingDeadline)
            {
                break;
            }
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
        var waited = DateTimeOffset.UtcNow - waitStarted;
        var lost = acknowledged.Where(e => !recorded.ContainsKey(e.EventId)).ToArray();
        var duplicated = recorded.Count(r => r.Value.Count > 1);
        var notProcessed = acknowledged.Where(e => recorded.TryGetValue(e.EventId, out var row) && row.Status != 2).ToArray();
        var recordedUnacknowledged = events.Count(e => !e.Acknowledged && recorded.ContainsKey(e.EventId));
        var outcomes = recorded.Values.Where(r => r.Status == 2).GroupBy(r => r.Outcome switch { 1 => "applied", 2 => "stale", 3 => "ignored", _ => "none" })
            .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}");
        var deliveries = events.Sum(e => e.Deliveries.Count);
        verdict.Lines.Add(string.Create(CultureInfo.InvariantCulture,
            $"webhooks     : events {events.Length} (+{traffic.Sum(t => t.RepeatsSent)} deliberate repeats, {traffic.Sum(t => t.OutOfOrderPairs)} pairs newest first), " +
            $"deliveries {deliveries}, acknowledged {acknowledged.Length}, lost {lost.Length}, duplicated {duplicated}, " +
            $"not processed {notProcessed.Length} (after waiting {waited.TotalSeconds:0} s), never acknowledged {events.Length - acknowledged.Length} " +
            $"(of which recorded {recordedUnacknowledged}); processed: {string.Join(", ", outcomes)}"));
        verdict.Check(lost.Length == 0, $"{lost.Length} acknowledged Stripe events are not in platform_webhook_events, e.g. {string.Join(", ", lost.Take(3).Select(e => e.EventId))}");
        verdict.Check(duplicated == 0, $"{duplicated} Stripe events are in platform_webhook_events more than once");
        verdict.Check(notProcessed.Length == 0, $"{notProcessed.Length} acknowledged Stripe events did not end processed within {processingDeadline.TotalSeconds} s, e.g. " +
            string.Join(", ", notProcessed.Take(3).Select(e => $"{e.EventId} status {recorded[e.EventId].Status}")));
        var ignored = recorded.Count(r => r.Value.Status == 2 && r.Value.Outcome == 3);
        verdict.Check(ignored == 0, $"{ignored} Stripe events were processed as ignored (not routed to their customer)");
        foreach (var violation in traffic.SelectMany(t => t.Violations).Take(10))
        {
            verdict.Failures.Add(violation);
        }

        // The end state: what the grain must show after every recorded event (in whatever order they came).
        var mismatches = new List<string>();
        var observer = traffic[0];
        for (var customer = 0; customer < timeline.Customers.Count; customer++)
        {
            var expected = SubscriptionVersion.Expected(events.Where(e => e.CustomerIndex == customer && recorded.ContainsKey(e.EventId)));
            var ofAcknowledged = SubscriptionVersion.Expected(acknowledged.Where(e => e.CustomerIndex == customer));
            SubscriptionVersion? shown = null;
            var giveUp = DateTimeOffset.UtcNow + Retrying.Deadline;
            while (shown is null && DateTimeOffset.UtcNow < giveUp)
            {
                shown = await observer.ObserveAsync(customer, CancellationToken.None);
                if (shown is null)
                {
                    await Task.Delay(TimeSpan.FromSeconds(1));
                }
            }
            if (shown != expected || SubscriptionVersion.Compare(ofAcknowledged, expected) > 0)
            {
                mismatches.Add($"{timeline.Customers[customer]}: shows {(shown is { } s ? s.ToString() : "(no answer)")}, newest recorded {expected}, newest acknowledged {ofAcknowledged}");
            }
        }
        var backwards = timeline.Observations.Select((queue, customer) => MovedBackwards(timeline.Customers[customer], queue.ToArray()))
            .Where(b => b is not null).ToArray();
        verdict.Lines.Add($"subscriptions: {timeline.Customers.Count} customers ({SubscriptionTimeline.CancelAt.Count} canceled part-way), " +
            $"mirror vs newest recorded version mismatches {mismatches.Count}, reads {timeline.Observations.Sum(q => q.Count)}, backwards transitions {backwards.Length}");
        foreach (var mismatch in mismatches)
        {
            verdict.Failures.Add("subscription " + mismatch);
        }
        verdict.Check(backwards.Length == 0, $"{backwards.Length} subscriptions moved backwards, e.g. {string.Join("; ", backwards.Take(3))}");
    }

    /// <summary>A version shown after (asked after the earlier answer arrived) a later one; null when none.</summary>
    private static string? MovedBackwards(string customer, (DateTimeOffset Start, DateTimeOffset End, SubscriptionVersion Seen)[] seen)
    {
        foreach (var later in seen)
        {
            foreach (var earlier in seen.Where(e => e.End < later.Start))
            {
                if (SubscriptionVersion.Compare(later.Seen, earlier.Seen) < 0)
                {
                    return $"{customer}: {earlier.Seen} then {later.Seen}";
                }
            }
        }
        return null;
    }

    private async Task<Dictionary<string, (long Count, short Status, short? Outcome)>> RecordedStripeEventsAsync(string prefix)
    {
        var rows = new Dictionary<string, (long, short, short?)>(StringComparer.Ordinal);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT id, count(*) OVER (PARTITION BY id), status, outcome FROM platform_webhook_events WHERE starts_with(id, @prefix)
            """, connection);
        command.Parameters.AddWithValue("prefix", prefix);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows[reader.GetString(0)] = (reader.GetInt64(1), reader.GetInt16(2), reader.IsDBNull(3) ? null : reader.GetInt16(3));
        }
        return rows;
    }

    private static int Rank(string status) => status switch
    {
        "requires_payment_method" => 0,
        "requires_confirmation" => 1,
        "requires_action" => 2,
        "processing" => 3,
        "requires_capture" => 4,
        _ => 5, // succeeded, canceled: terminal
    };

    /// <summary>A status seen after (strictly: asked after the earlier answer arrived) a later one; null when none.</summary>
    private static string? MovedBackwards(PaymentRecord payment)
    {
        var seen = payment.Observations.ToArray();
        foreach (var later in seen)
        {
            foreach (var earlier in seen.Where(e => e.End < later.Start))
            {
                var terminalChanged = Rank(earlier.Status) == 5 && earlier.Status != later.Status;
                if (Rank(later.Status) < Rank(earlier.Status) || terminalChanged)
                {
                    return $"{payment.PaymentId}: {earlier.Status} then {later.Status}";
                }
            }
        }
        return null;
    }

    /// <summary>No 500 anywhere; while PostgreSQL is down, writes answer 2xx or 503 with Retry-After, never hang.</summary>
    public void Responses(IReadOnlyList<Outcome> outcomes)
    {
        var serverErrors = outcomes.Where(o => o.Status is 500 or 501 or 502).ToArray();
        verdict.Check(serverErrors.Length == 0, $"{serverErrors.Length} requests answered 500-502, e.g. " +
            string.Join(", ", serverErrors.Take(3).Select(o => $"{o.Kind} in {o.Phase} on {o.Host}: {o.Status}")));
        var outage = outcomes.Where(o => o.Phase == Program.DatabaseOutagePhase && _writeKinds.Contains(o.Kind) && !o.Succeeded).ToArray();
        var wrong = outage.Where(o => o.Status is not (503 or 429) || !o.RetryAfter).ToArray();
        verdict.Lines.Add($"db outage    : failed writes {outage.Length}, of which 503 + Retry-After {outage.Length - wrong.Length}, " +
            $"other {string.Join(" ", wrong.GroupBy(o => o.StatusLabel + (o.RetryAfter ? "" : " (no Retry-After)")).Select(g => $"{g.Key}×{g.Count()}"))}");
        verdict.Check(wrong.Length == 0, $"{wrong.Length} writes during the database outage did not answer 503 with Retry-After " +
            $"({string.Join(", ", wrong.Take(5).Select(o => o.Kind + " " + o.StatusLabel))})");
    }

    /// <summary>
    /// Per fault and traffic kind: from the fault to the first success among the requests sent after the last
    /// request that failed (sent before the next fault), i.e. from when on the kind works again for new requests.
    /// Calls already in flight to a killed silo can wait for Orleans' response timeout (30 s); they are counted
    /// as timeouts beside the figure, not as the recovery time.
    /// </summary>
    /// <remarks>
    /// A core silo's grains re-activate on the other core silo: recovery within 20 s of the kill. The pci silo is
    /// the only one of its kind, so payments wait for its restart: within 20 s of it being back.
    /// </remarks>
    public void Recovery(IReadOnlyList<Outcome> outcomes, IReadOnlyList<(string Name, DateTimeOffset At)> faults,
        IReadOnlyDictionary<string, DateTimeOffset> restored, DateTimeOffset end)
    {
        verdict.Lines.Add("recovery (s) : fault -> first success among requests sent after the last failed one (usage / payment / webhook)");
        for (var i = 0; i < faults.Count; i++)
        {
            var (name, at) = faults[i];
            var until = i + 1 < faults.Count ? faults[i + 1].At : end;
            var cells = new List<string>();
            foreach (var kind in _writeKinds)
            {
                var window = outcomes.Where(o => o.Kind == kind && o.Start >= at && o.Start < until).OrderBy(o => o.End).ToArray();
                // A request the next fault broke mid-flight belongs to that fault.
                var lastFailure = window.Where(o => !o.Succeeded && o.End < until).MaxBy(o => o.Start);
                var firstSuccess = window.FirstOrDefault(o => o.Succeeded && (lastFailure is null || o.Start > lastFailure.Start));
                var failures = window.Count(o => !o.Succeeded);
                var timeouts = window.Count(o => o.Status == Outcome.Timeout);
                if (firstSuccess is null)
                {
                    cells.Add($"{kind} never");
                    verdict.Failures.Add($"{kind} traffic did not recover after {name}");
                    continue;
                }
                var seconds = (firstSuccess.End - at).TotalSeconds;
                cells.Add(string.Create(CultureInfo.InvariantCulture, $"{kind} {seconds:0.0} ({failures} failed, {timeouts} timed out)"));
                if (name.StartsWith("core-kill", StringComparison.Ordinal) || name == "pci-kill")
                {
                    // Payments and Stripe webhooks need the pci silo: after its kill they wait for its restart.
                    var from = kind is PaymentTraffic.Kind or WebhookTraffic.Kind && restored.TryGetValue(name, out var back) ? back : at;
                    var measured = (firstSuccess.End - from).TotalSeconds;
                    if (from != at)
                    {
                        cells[^1] += string.Create(CultureInfo.InvariantCulture, $" = restart {(from - at).TotalSeconds:0.0} + {measured:0.0}");
                    }
                    verdict.Check(measured <= ChaosSettings.SiloRecoveryLimit.TotalSeconds, string.Create(CultureInfo.InvariantCulture,
                        $"{kind} took {measured:0.0} s to recover after {name}{(from != at ? " once the silo was back" : "")} (limit {ChaosSettings.SiloRecoveryLimit.TotalSeconds} s)"));
                }
            }
            verdict.Lines.Add($"  {name,-12} {string.Join(", ", cells)}");
        }
    }

    /// <summary>Every PaymentIntent the fake holds, page by page through its list.</summary>
    private static async Task<IReadOnlyList<JsonElement>> FakePaymentIntentsAsync(HttpClient fake)
    {
        var intents = new List<JsonElement>();
        string? after = null;
        while (true)
        {
            var page = JsonDocument.Parse(await fake.GetStringAsync("/v1/payment_intents?limit=100" + (after is null ? "" : "&starting_after=" + after))).RootElement;
            foreach (var intent in page.GetProperty("data").EnumerateArray())
            {
                after = intent.GetProperty("id").GetString();
                intents.Add(intent.Clone());
            }
            if (!page.GetProperty("has_more").GetBoolean())
            {
                return intents;
            }
        }
    }
}

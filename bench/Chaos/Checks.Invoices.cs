using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Npgsql;

namespace Platform.Bench.Chaos;

/// <summary>
/// Invoices after period ends under faults (issue 18), against PostgreSQL and the Stripe fake's own records: every
/// closed period of every subscription has exactly one invoice, its total is the usage log priced in SQL alone, it
/// has at most one PaymentIntent and at most one successful charge, every finalized invoice with an amount is paid
/// exactly once, and the tenant's numbers are 1..N without a gap.
/// </summary>
public sealed partial class Checks
{
    // The chaos plan (Program.InvoicePlan) priced in SQL from the usage log: flat 1,500; api_calls 0–100 at 10,
    // 101–1,000 at 5, beyond at 2 (as InvoiceCollectionTests.ExpectedTotalSql).
    private const string InvoicesWithSqlTotals =
        """
        SELECT i.subscription_id, i.id, i.status, i.period_start, i.period_end, i.number, i.number_seq, i.total, i.amount_paid,
          i.payment_intent_id, l.amount,
          1500 + round(least(u.q, 100) * 10 + greatest(least(u.q, 1000) - 100, 0) * 5 + greatest(u.q - 1000, 0) * 2)::bigint
        FROM invoices i
        CROSS JOIN LATERAL (SELECT coalesce(sum(quantity), 0) AS q FROM usage_events e
          WHERE e.tenant_id = i.tenant_id AND e.customer_id = i.customer_id AND e.metric = 'api_calls'
            AND e.ts >= i.period_start AND e.ts < i.period_end) u
        CROSS JOIN LATERAL (SELECT coalesce(sum(amount), 0)::bigint AS amount FROM invoice_lines n
          WHERE n.tenant_id = i.tenant_id AND n.invoice_id = i.id) l
        WHERE i.tenant_id = $1
        """;

    public async Task InvoicesAsync(string invoiceTenantId, IReadOnlyList<InvoiceTraffic> traffic)
    {
        var rows = new List<InvoiceRow>();
        var logged = new HashSet<string>(StringComparer.Ordinal);
        long lastNumber;
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using (var command = new NpgsqlCommand(InvoicesWithSqlTotals, connection))
            {
                command.Parameters.AddWithValue(invoiceTenantId);
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    rows.Add(new InvoiceRow(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                        new DateTimeOffset(reader.GetDateTime(3), TimeSpan.Zero), new DateTimeOffset(reader.GetDateTime(4), TimeSpan.Zero),
                        reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetInt64(6), reader.GetInt64(7),
                        reader.GetInt64(8), reader.IsDBNull(9) ? null : reader.GetString(9), reader.GetInt64(10), reader.GetInt64(11)));
                }
            }
            await using (var command = new NpgsqlCommand("SELECT event_id FROM usage_events WHERE tenant_id = $1", connection))
            {
                command.Parameters.AddWithValue(invoiceTenantId);
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    logged.Add(reader.GetString(0));
                }
            }
            await using (var command = new NpgsqlCommand("SELECT coalesce((SELECT last_number FROM invoice_numbering WHERE tenant_id = $1), 0)", connection))
            {
                command.Parameters.AddWithValue(invoiceTenantId);
                lastNumber = (long)(await command.ExecuteScalarAsync())!;
            }
        }

        // Periods: each subscription's closed periods [start + k days, start + (k + 1) days) up to its clock's time.
        var expectedPeriods = 0;
        var missing = new List<string>();
        var doubled = new List<string>();
        var unexpected = new List<string>();
        foreach (var clock in traffic)
        {
            foreach (var subscription in clock.Subscriptions)
            {
                var closed = (int)Math.Floor((clock.FrozenTime - subscription.Start) / InvoiceTraffic.Day);
                expectedPeriods += closed;
                var mine = rows.Where(r => r.SubscriptionId == subscription.SubscriptionId).ToArray();
                for (var k = 0; k < closed; k++)
                {
                    var start = subscription.Start + k * InvoiceTraffic.Day;
                    var of = mine.Count(r => r.PeriodStart == start && r.PeriodEnd == start + InvoiceTraffic.Day);
                    if (of == 0)
                    {
                        missing.Add($"{subscription.SubscriptionId} period {k} ({start.ToUnixTimeSeconds()})");
                    }
                    else if (of > 1)
                    {
                        doubled.Add($"{subscription.SubscriptionId} period {k} ×{of}");
                    }
                }
                unexpected.AddRange(mine.Where(r => (r.PeriodStart - subscription.Start).Ticks % InvoiceTraffic.Day.Ticks != 0
                        || r.PeriodStart < subscription.Start || r.PeriodEnd > clock.FrozenTime)
                    .Select(r => $"{r.Id} of {subscription.SubscriptionId} [{r.PeriodStart.ToUnixTimeSeconds()}, {r.PeriodEnd.ToUnixTimeSeconds()})"));
            }
        }
        var known = traffic.SelectMany(t => t.Subscriptions).Select(s => s.SubscriptionId).ToHashSet(StringComparer.Ordinal);
        unexpected.AddRange(rows.Where(r => !known.Contains(r.SubscriptionId)).Select(r => $"{r.Id} of unknown {r.SubscriptionId}"));

        var wrongTotals = rows.Where(r => r.Status != "draft" && (r.Total != r.SqlTotal || r.LinesSum != r.Total))
            .Select(r => $"{r.Id}: total {r.Total}, lines {r.LinesSum}, SQL {r.SqlTotal}").ToArray();
        var finalized = rows.Where(r => r.Status != "draft").ToArray();
        var notFinalized = rows.Where(r => r.Status == "draft").Select(r => r.Id).ToArray();
        var sequence = finalized.Select(r => r.NumberSeq ?? 0).Order().ToArray();
        var gapless = sequence.SequenceEqual(Enumerable.Range(1, finalized.Length).Select(n => (long)n)) && lastNumber == finalized.Length
            && finalized.All(r => r.Number == $"CHAOS-{r.NumberSeq:000000}");

        // The fake's records: its PaymentIntents by metadata invoice_id, its charges by the charge events it emitted.
        using var fake = new HttpClient { BaseAddress = stack.StripeFakeUrl, Timeout = TimeSpan.FromSeconds(60) };
        fake.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", stack.StripeKey);
        var intents = new Dictionary<string, List<(string Id, long Amount, string Status)>>(StringComparer.Ordinal);
        foreach (var intent in await FakePaymentIntentsAsync(fake))
        {
            var metadata = intent.GetProperty("metadata");
            if (metadata.TryGetProperty("tenant_id", out var tenant) && tenant.GetString() == invoiceTenantId
                && metadata.TryGetProperty("invoice_id", out var invoiceId))
            {
                intents.TryAdd(invoiceId.GetString()!, []);
                intents[invoiceId.GetString()!].Add((intent.GetProperty("id").GetString()!, intent.GetProperty("amount").GetInt64(), intent.GetProperty("status").GetString()!));
            }
        }
        var succeededCharges = new Dictionary<string, int>(StringComparer.Ordinal);
        var failedCharges = 0;
        foreach (var evt in JsonDocument.Parse(await fake.GetStringAsync("/_fake/events")).RootElement.GetProperty("data").EnumerateArray())
        {
            var type = evt.GetProperty("type").GetString();
            if (type is not ("charge.succeeded" or "charge.failed"))
            {
                continue;
            }
            var charge = evt.GetProperty("data").GetProperty("object");
            if (!charge.GetProperty("metadata").TryGetProperty("invoice_id", out var invoiceId) || !charge.GetProperty("metadata").TryGetProperty("tenant_id", out var tenant)
                || tenant.GetString() != invoiceTenantId)
            {
                continue;
            }
            if (type == "charge.succeeded")
            {
                succeededCharges[invoiceId.GetString()!] = succeededCharges.GetValueOrDefault(invoiceId.GetString()!) + 1;
            }
            else
            {
                failedCharges++;
            }
        }
        var twoIntents = intents.Where(i => i.Value.Count > 1).Select(i => $"{i.Key} ({string.Join(", ", i.Value.Select(v => v.Id))})").ToArray();
        var chargedTwice = succeededCharges.Where(c => c.Value > 1).Select(c => $"{c.Key} ×{c.Value}").ToArray();
        var byId = rows.ToDictionary(r => r.Id, StringComparer.Ordinal);
        var strangers = intents.Keys.Concat(succeededCharges.Keys).Where(id => !byId.ContainsKey(id)).Distinct(StringComparer.Ordinal).ToArray();
        var notPaidOnce = new List<string>();
        foreach (var invoice in finalized.Where(r => r.Total > 0))
        {
            var theirs = intents.GetValueOrDefault(invoice.Id) ?? [];
            var charges = succeededCharges.GetValueOrDefault(invoice.Id);
            if (invoice.Status != "paid" || invoice.AmountPaid != invoice.Total || charges != 1 || theirs.Count != 1
                || theirs[0].Id != invoice.PaymentIntentId || theirs[0].Amount != invoice.Total || theirs[0].Status != "succeeded")
            {
                notPaidOnce.Add($"{invoice.Id}: {invoice.Status}, paid {invoice.AmountPaid} of {invoice.Total}, PaymentIntent {invoice.PaymentIntentId ?? "none"}, " +
                    $"at Stripe {string.Join("/", theirs.Select(t => $"{t.Id} {t.Amount} {t.Status}"))}, succeeded charges {charges}");
            }
        }
        var acknowledged = traffic.SelectMany(t => t.Events.Values).Where(e => e.Acknowledged).ToArray();
        var lost = acknowledged.Where(e => !logged.Contains(e.EventId)).Select(e => e.EventId).ToArray();

        verdict.Lines.Add(string.Create(CultureInfo.InvariantCulture,
            $"invoices     : {traffic.Count} test clocks, {known.Count} subscriptions, {traffic.Sum(t => t.PeriodsAdvanced)} clock steps " +
            $"({traffic.Sum(t => t.AdvanceRetries)} advances retried); closed periods {expectedPeriods}, invoices {rows.Count}: " +
            $"missing {missing.Count}, doubled {doubled.Count}, outside a period {unexpected.Count}, still draft {notFinalized.Length}; " +
            $"totals ≠ SQL {wrongTotals.Length}; numbers 1..{finalized.Length} gapless {(gapless ? "yes" : "NO")}"));
        verdict.Lines.Add(string.Create(CultureInfo.InvariantCulture,
            $"invoice pay  : PaymentIntents {intents.Values.Sum(v => v.Count)} (invoices with two {twoIntents.Length}), succeeded charges " +
            $"{succeededCharges.Values.Sum()} (invoices charged twice {chargedTwice.Length}), failed charges {failedCharges}, " +
            $"finalized with an amount not paid exactly once {notPaidOnce.Count}; usage events acknowledged {acknowledged.Length}, lost {lost.Length}"));
        verdict.Check(missing.Count == 0, $"{missing.Count} closed periods have no invoice, e.g. {string.Join("; ", missing.Take(3))}");
        verdict.Check(doubled.Count == 0, $"{doubled.Count} periods have more than one invoice, e.g. {string.Join("; ", doubled.Take(3))}");
        verdict.Check(unexpected.Count == 0, $"{unexpected.Count} invoices are not of a closed period, e.g. {string.Join("; ", unexpected.Take(3))}");
        verdict.Check(notFinalized.Length == 0, $"{notFinalized.Length} invoices are still drafts after the settling advance, e.g. {string.Join(", ", notFinalized.Take(3))}");
        verdict.Check(wrongTotals.Length == 0, $"{wrongTotals.Length} invoice totals differ from the usage log priced in SQL, e.g. {string.Join("; ", wrongTotals.Take(3))}");
        verdict.Check(gapless, $"invoice numbers are not 1..{finalized.Length} without a gap (last_number {lastNumber}): {string.Join(",", sequence.Take(40))}");
        verdict.Check(twoIntents.Length == 0, $"{twoIntents.Length} invoices have more than one PaymentIntent at Stripe, e.g. {string.Join("; ", twoIntents.Take(3))}");
        verdict.Check(chargedTwice.Length == 0, $"{chargedTwice.Length} invoices were charged successfully more than once, e.g. {string.Join("; ", chargedTwice.Take(3))}");
        verdict.Check(strangers.Length == 0, $"{strangers.Length} PaymentIntents or charges name an invoice that does not exist, e.g. {string.Join(", ", strangers.Take(3))}");
        verdict.Check(notPaidOnce.Count == 0, $"{notPaidOnce.Count} finalized invoices are not paid exactly once, e.g. {string.Join("; ", notPaidOnce.Take(3))}");
        verdict.Check(lost.Length == 0, $"{lost.Length} acknowledged invoice usage events are not in usage_events, e.g. {string.Join(", ", lost.Take(3))}");
        verdict.Check(traffic.All(t => t.PeriodsAdvanced > 0), "a test clock never advanced");
        foreach (var violation in traffic.SelectMany(t => t.Violations).Take(10))
        {
            verdict.Failures.Add(violation);
        }
    }
}

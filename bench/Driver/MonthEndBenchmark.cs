using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Invoices;
using Platform.Grains.Interfaces.Plans;

namespace Platform.Bench.Driver;

/// <summary>
/// Benchmark 6 (issue 18): a month-end run. Seeds N draft invoices of November (one per subscription, spread over
/// tenants, each with its flat and usage lines and two usage events in the log), written with COPY as the
/// subscription grains' roll-over would have left them; then, in the same run and on the same PostgreSQL:
/// <list type="number">
/// <item>the baseline: a raw batched INSERT of the same number of finalized rows (numbered, totals set) and their
/// lines into a fresh pair of tables made <c>LIKE … INCLUDING ALL</c> (same columns, keys and indexes; no triggers);</item>
/// <item>ours: <see cref="IInvoiceGrain.FinalizeAsync"/> for every draft through the cluster, <paramref name="parallelism"/>
/// calls in flight; each answers after its transaction committed (draft → open, number, repriced lines), so the
/// figure is durable invoices/s until all are open.</item>
/// </list>
/// The drafts are <c>send_invoice</c>: finalization charges nothing (collection and its Stripe budget are kept out).
/// </summary>
public sealed class MonthEndBenchmark(IGrainFactory grains, string connectionString, int invoices, int tenants, int parallelism,
    int baselineConnections, int[] siloPids, int postgresPid)
{
    private const int BaselineBatch = 1000;
    private static readonly DateTimeOffset _periodStart = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset _periodEnd = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    // The plan's prices as kept on each invoice (InvoicePricing's JSON: the same property names and enum numbers).
    private static readonly SeededPricing _pricing = new("Pro", "usd", 4900,
        [new UsageCharge("api_calls", PricingModel.Graduated, null, null, null, [new PriceTier(100_000, 2, 0), new PriceTier(null, 1, 0)])]);

    public async Task<MonthEndReport> RunAsync()
    {
        var rows = Enumerable.Range(0, invoices).Select(NewDraft).ToArray();
        var clock = Stopwatch.StartNew();
        await SeedAsync(rows);
        var seedSeconds = clock.Elapsed.TotalSeconds;
        Console.Error.WriteLine($"seeded {invoices} drafts over {tenants} tenants in {seedSeconds:0.0} s");

        clock.Restart();
        await BaselineAsync(rows);
        var baselineSeconds = clock.Elapsed.TotalSeconds;
        Console.Error.WriteLine($"baseline: {invoices} finalized rows by batched INSERT in {baselineSeconds:0.0} s ({invoices / baselineSeconds:0}/s)");
        await ExecuteAsync("CHECKPOINT; CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset()");
        var walSyncsBefore = await ScalarAsync<long>("SELECT wal_sync FROM pg_stat_wal");

        var commitsBefore = await ScalarAsync<long>("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()");
        var siloCpuBefore = siloPids.Sum(ProcessCpu.Seconds);
        var postgresCpuBefore = ProcessCpu.TreeSeconds(postgresPid);
        var driverCpuBefore = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        clock.Restart();
        var failures = 0;
        var done = 0;
        using var progress = new Timer(_ => Console.Error.WriteLine($"  finalized {Volatile.Read(ref done)} of {invoices} ({clock.Elapsed.TotalSeconds:0} s)"),
            null, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(15));
        // Interleaved over tenants (row i belongs to tenant i % tenants), as many subscriptions' period ends arrive together.
        var retries = 0;
        await ForEachAsync(invoices, async i =>
        {
            // As the invoice's reminder would: a finalization refused for a moment (the database busy: "nothing was
            // changed") is tried again; the time it takes counts.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var snapshot = await grains.GetGrain<IInvoiceGrain>(PlatformIds.InvoiceKey(rows[i].TenantId, rows[i].Id)).FinalizeAsync();
                    if (snapshot.Status != InvoiceStatuses.Open)
                    {
                        Interlocked.Increment(ref failures);
                    }
                    break;
                }
                catch (Exception e) when (attempt < 5)
                {
                    if (Interlocked.Increment(ref retries) <= 5)
                    {
                        Console.Error.WriteLine($"finalize {rows[i].Id} failed (retried): {e.GetType().Name}: {e.Message}");
                    }
                    await Task.Delay(TimeSpan.FromSeconds(1));
                }
                catch (Exception e)
                {
                    Interlocked.Increment(ref failures);
                    Console.Error.WriteLine($"finalize {rows[i].Id} failed {attempt} times: {e.GetType().Name}: {e.Message}");
                    break;
                }
            }
            Interlocked.Increment(ref done);
        });
        var finalizeSeconds = clock.Elapsed.TotalSeconds;
        var siloCpu = siloPids.Sum(ProcessCpu.Seconds) - siloCpuBefore;
        var postgresCpu = ProcessCpu.TreeSeconds(postgresPid) - postgresCpuBefore;
        var driverCpu = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - driverCpuBefore;
        var commits = await ScalarAsync<long>("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()") - commitsBefore;
        var walSyncs = await ScalarAsync<long>("SELECT wal_sync FROM pg_stat_wal") - walSyncsBefore;
        await PrintStatementsAsync();
        Console.Error.WriteLine($"ours: {invoices} finalized through the grains in {finalizeSeconds:0.0} s ({invoices / finalizeSeconds:0}/s), {retries} retried, {failures} failed");

        // What the database holds afterwards: every invoice open, and per tenant the numbers 1..n without a gap.
        var open = await ScalarAsync<long>("SELECT count(*) FROM invoices WHERE status = 'open' AND finalized_at IS NOT NULL");
        var gappedTenants = await ScalarAsync<long>(
            """
            SELECT count(*) FROM (
              SELECT tenant_id FROM invoices WHERE status <> 'draft' GROUP BY tenant_id
              HAVING min(number_seq) <> 1 OR max(number_seq) <> count(*) OR count(DISTINCT number_seq) <> count(*)) g
            """);
        var wrongTotals = await ScalarAsync<long>(
            """
            SELECT count(*) FROM invoices i
            WHERE i.total <> (SELECT sum(amount) FROM invoice_lines l WHERE l.tenant_id = i.tenant_id AND l.invoice_id = i.id)
            """);
        return new MonthEndReport(invoices, tenants, parallelism, baselineConnections, BaselineBatch, seedSeconds,
            baselineSeconds, invoices / baselineSeconds, finalizeSeconds, invoices / finalizeSeconds,
            invoices / finalizeSeconds / (invoices / baselineSeconds), failures, retries, open, gappedTenants, wrongTotals,
            (double)commits / invoices, (double)walSyncs / invoices, siloCpu * 1e6 / invoices, postgresCpu * 1e6 / invoices, driverCpu * 1e6 / invoices,
            siloCpu / finalizeSeconds, postgresCpu / finalizeSeconds, driverCpu / finalizeSeconds);
    }

    private MonthEndDraft NewDraft(int i)
    {
        var tenantId = $"ten_monthend{i % tenants:000000}";
        var subscriptionId = $"sub_monthend{i:0000000}";
        return new MonthEndDraft(tenantId, PlatformIds.InvoiceIdFor(tenantId, subscriptionId, _periodStart), $"cus_monthend{i:0000000}", subscriptionId,
            $"plan_monthend{i % tenants:000000}", 1000 + i % 250_000);
    }

    /// <summary>The drafts, their lines (flat, usage) and two usage events each, by COPY (not measured: the roll-over's work).</summary>
    private async Task SeedAsync(IReadOnlyList<MonthEndDraft> rows)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var pricing = JsonSerializer.Serialize(_pricing);
        var created = _periodEnd.UtcDateTime;
        await using (var copy = await connection.BeginBinaryImportAsync(
            """
            COPY invoices (tenant_id, id, customer_id, subscription_id, plan_id, status, currency, period_start, period_end, subtotal, total,
              amount_due, amount_remaining, collection_method, days_until_due, pricing, finalizes_at, created)
            FROM STDIN (FORMAT BINARY)
            """))
        {
            foreach (var row in rows)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(row.TenantId);
                await copy.WriteAsync(row.Id);
                await copy.WriteAsync(row.CustomerId);
                await copy.WriteAsync(row.SubscriptionId);
                await copy.WriteAsync(row.PlanId);
                await copy.WriteAsync(InvoiceStatuses.Draft);
                await copy.WriteAsync("usd");
                await copy.WriteAsync(_periodStart.UtcDateTime, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(_periodEnd.UtcDateTime, NpgsqlDbType.TimestampTz);
                var subtotal = _pricing.FlatAmount + 2L * row.Usage;
                await copy.WriteAsync(subtotal);
                await copy.WriteAsync(subtotal);
                await copy.WriteAsync(subtotal);
                await copy.WriteAsync(subtotal);
                await copy.WriteAsync(CollectionMethods.SendInvoice);
                await copy.WriteAsync(30);
                await copy.WriteAsync(pricing, NpgsqlDbType.Jsonb);
                // The grace ended at 01:00 on the 1st: every draft is due.
                await copy.WriteAsync(_periodEnd.AddHours(1).UtcDateTime, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(created, NpgsqlDbType.TimestampTz);
            }
            await copy.CompleteAsync();
        }
        await using (var copy = await connection.BeginBinaryImportAsync(
            """
            COPY invoice_lines (tenant_id, invoice_id, position, id, type, description, metric, quantity, amount, pricing_model, tiers, period_start, period_end)
            FROM STDIN (FORMAT BINARY)
            """))
        {
            foreach (var row in rows)
            {
                await WriteLinesAsync(copy, row, "[]");
            }
            await copy.CompleteAsync();
        }
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY usage_events (tenant_id, event_id, customer_id, metric, quantity, ts) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var row in rows)
            {
                for (var e = 0; e < 2; e++)
                {
                    await copy.StartRowAsync();
                    await copy.WriteAsync(row.TenantId);
                    await copy.WriteAsync($"{row.SubscriptionId}-{e}");
                    await copy.WriteAsync(row.CustomerId);
                    await copy.WriteAsync("api_calls");
                    await copy.WriteAsync((decimal)(e == 0 ? row.Usage / 2 : row.Usage - row.Usage / 2), NpgsqlDbType.Numeric);
                    await copy.WriteAsync(_periodStart.AddDays(3 + 20 * e).UtcDateTime, NpgsqlDbType.TimestampTz);
                }
            }
            await copy.CompleteAsync();
        }
        await ExecuteAsync("ANALYZE invoices; ANALYZE invoice_lines; ANALYZE usage_events");
    }

    private static async Task WriteLinesAsync(NpgsqlBinaryImporter copy, MonthEndDraft row, string tiers)
    {
        var lines = new (string Type, string Description, string? Metric, decimal Quantity, long Amount, short? Model)[]
        {
            ("subscription", "Pro (flat)", null, 1, _pricing.FlatAmount, null),
            ("usage", "api_calls usage", "api_calls", row.Usage, 2L * row.Usage, (short)PricingModel.Graduated),
        };
        for (var position = 0; position < lines.Length; position++)
        {
            var line = lines[position];
            await copy.StartRowAsync();
            await copy.WriteAsync(row.TenantId);
            await copy.WriteAsync(row.Id);
            await copy.WriteAsync(position);
            await copy.WriteAsync(PlatformIds.InvoiceLineIdFor(row.Id, position));
            await copy.WriteAsync(line.Type);
            await copy.WriteAsync(line.Description);
            if (line.Metric is null)
            {
                await copy.WriteNullAsync();
            }
            else
            {
                await copy.WriteAsync(line.Metric);
            }
            await copy.WriteAsync(line.Quantity, NpgsqlDbType.Numeric);
            await copy.WriteAsync(line.Amount);
            if (line.Model is { } model)
            {
                await copy.WriteAsync(model, NpgsqlDbType.Smallint);
            }
            else
            {
                await copy.WriteNullAsync();
            }
            await copy.WriteAsync(tiers, NpgsqlDbType.Jsonb);
            await copy.WriteAsync(_periodStart.UtcDateTime, NpgsqlDbType.TimestampTz);
            await copy.WriteAsync(_periodEnd.UtcDateTime, NpgsqlDbType.TimestampTz);
        }
    }

    /// <summary>
    /// The same rows as finalization leaves them (open, numbered per tenant, lines with their tiers), by multi-row
    /// INSERT … SELECT FROM unnest in batches of <see cref="BaselineBatch"/> invoices (one transaction each, with their
    /// lines) on <c>baselineConnections</c> connections, into fresh tables with the same keys and indexes.
    /// </summary>
    private async Task BaselineAsync(IReadOnlyList<MonthEndDraft> rows)
    {
        await ExecuteAsync(
            """
            DROP TABLE IF EXISTS baseline_invoice_lines, baseline_invoices;
            CREATE TABLE baseline_invoices (LIKE invoices INCLUDING ALL);
            CREATE TABLE baseline_invoice_lines (LIKE invoice_lines INCLUDING ALL);
            """);
        var pricing = JsonSerializer.Serialize(_pricing);
        var tiers = JsonSerializer.Serialize(new[] { new { units = 1000, unit_amount = 2, flat_amount = 0, amount = 2000 } });
        var batches = Enumerable.Range(0, (rows.Count + BaselineBatch - 1) / BaselineBatch).ToArray();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, baselineConnections).Select(async _ =>
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            int b;
            while ((b = Interlocked.Increment(ref next)) < batches.Length)
            {
                var batch = rows.Skip(b * BaselineBatch).Take(BaselineBatch).Select((row, k) => (row, n: b * BaselineBatch + k)).ToArray();
                await using var transaction = await connection.BeginTransactionAsync();
                await using (var insert = new NpgsqlCommand(
                    """
                    INSERT INTO baseline_invoices (tenant_id, id, customer_id, subscription_id, plan_id, status, number, number_seq, currency,
                      period_start, period_end, subtotal, total, amount_due, amount_remaining, collection_method, days_until_due, due_date,
                      pricing, finalizes_at, finalized_at, created)
                    SELECT t, i, c, s, p, 'open', 'INV-' || lpad(q::text, 6, '0'), q, 'usd', $1, $2, a, a, a, a, 'send_invoice', 30, now() + interval '30 days',
                      $3::jsonb, $4, now(), $2
                    FROM unnest($5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::bigint[], $11::bigint[]) AS u(t, i, c, s, p, q, a)
                    """, connection, transaction))
                {
                    insert.Parameters.AddWithValue(_periodStart.UtcDateTime);
                    insert.Parameters.AddWithValue(_periodEnd.UtcDateTime);
                    insert.Parameters.AddWithValue(pricing);
                    insert.Parameters.AddWithValue(_periodEnd.AddHours(1).UtcDateTime);
                    insert.Parameters.AddWithValue(batch.Select(x => x.row.TenantId).ToArray());
                    insert.Parameters.AddWithValue(batch.Select(x => x.row.Id).ToArray());
                    insert.Parameters.AddWithValue(batch.Select(x => x.row.CustomerId).ToArray());
                    insert.Parameters.AddWithValue(batch.Select(x => x.row.SubscriptionId).ToArray());
                    insert.Parameters.AddWithValue(batch.Select(x => x.row.PlanId).ToArray());
                    // Numbers unique per tenant (row n is the (n / tenants + 1)th of its tenant), as finalization gives them.
                    insert.Parameters.AddWithValue(batch.Select(x => (long)(x.n / tenants + 1)).ToArray());
                    insert.Parameters.AddWithValue(batch.Select(x => _pricing.FlatAmount + 2L * x.row.Usage).ToArray());
                    await insert.ExecuteNonQueryAsync();
                }
                await using (var lines = new NpgsqlCommand(
                    """
                    INSERT INTO baseline_invoice_lines (tenant_id, invoice_id, position, id, type, description, metric, quantity, amount,
                      pricing_model, tiers, period_start, period_end)
                    SELECT t, i, p, i || '_' || p, CASE p WHEN 0 THEN 'subscription' ELSE 'usage' END, CASE p WHEN 0 THEN 'Pro (flat)' ELSE 'api_calls usage' END,
                      CASE p WHEN 0 THEN NULL ELSE 'api_calls' END, CASE p WHEN 0 THEN 1 ELSE q END, CASE p WHEN 0 THEN $3 ELSE 2 * q END,
                      CASE p WHEN 0 THEN NULL ELSE 3 END, CASE p WHEN 0 THEN '[]'::jsonb ELSE $4::jsonb END, $1, $2
                    FROM unnest($5::text[], $6::text[], $7::bigint[]) AS u(t, i, q) CROSS JOIN generate_series(0, 1) AS p
                    """, connection, transaction))
                {
                    lines.Parameters.AddWithValue(_periodStart.UtcDateTime);
                    lines.Parameters.AddWithValue(_periodEnd.UtcDateTime);
                    lines.Parameters.AddWithValue(_pricing.FlatAmount);
                    lines.Parameters.AddWithValue(tiers);
                    lines.Parameters.AddWithValue(batch.Select(x => x.row.TenantId).ToArray());
                    lines.Parameters.AddWithValue(batch.Select(x => x.row.Id).ToArray());
                    lines.Parameters.AddWithValue(batch.Select(x => (long)x.row.Usage).ToArray());
                    await lines.ExecuteNonQueryAsync();
                }
                await transaction.CommitAsync();
            }
        }));
        var inserted = await ScalarAsync<long>("SELECT count(*) FROM baseline_invoices");
        if (inserted != rows.Count)
        {
            throw new InvalidOperationException($"the baseline inserted {inserted} rows, not {rows.Count}");
        }
    }

    /// <summary>Where the database's time went during the finalizations: the top statements, per finalized invoice (stderr).</summary>
    private async Task PrintStatementsAsync()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT calls, total_exec_time, rows, regexp_replace(left(query, 110), '\s+', ' ', 'g') FROM pg_stat_statements
            WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY total_exec_time DESC LIMIT 15
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        Console.Error.WriteLine("statements during the finalizations (calls per invoice, ms per invoice, statement):");
        while (await reader.ReadAsync())
        {
            Console.Error.WriteLine($"  {reader.GetInt64(0) / (double)invoices,6:0.00} {reader.GetDouble(1) / invoices,7:0.000}  {reader.GetString(3)}");
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        await command.ExecuteNonQueryAsync();
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private async Task ForEachAsync(int count, Func<int, Task> action)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, parallelism).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                await action(i);
            }
        }));
    }
}

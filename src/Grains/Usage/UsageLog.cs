using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Platform.Grains.Interfaces.Usage;

namespace Platform.Grains.Usage;

/// <summary>
/// The usage log in PostgreSQL (table <c>usage_events</c>, see 0200_usage.sql): the durable truth that
/// every aggregate derives from. Stateless; meters, the forwarder and retention share it.
/// </summary>
public sealed class UsageLog(NpgsqlDataSource dataSource)
{
    // An event dated in a period whose invoice is finalized is refused (period_closed), never logged unbilled. The
    // share lock on the invoice rows covering the events orders this insert against a finalization, which takes
    // the row's update lock before it sums the log (InvoiceStore): either the event commits first and is billed,
    // or it sees the invoice finalized. An event already logged is a duplicate whatever the period's state.
    private const string Insert =
        """
        WITH u AS MATERIALIZED (
          SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::numeric[], $6::timestamptz[], $7::text[]) AS u(t, e, c, m, q, ts, p)
        ),
        covering AS MATERIALIZED (
          SELECT i.tenant_id, i.customer_id, i.period_start, i.period_end, i.status FROM invoices i
          -- Ours only: Stripe's invoices (managed_by stripe) bill Stripe's meter, not this log, and close nothing here.
          WHERE i.managed_by = 'platform'
            AND EXISTS (SELECT 1 FROM u WHERE u.t = i.tenant_id AND u.c = i.customer_id AND u.ts >= i.period_start AND u.ts < i.period_end)
          FOR SHARE OF i
        ),
        closed AS MATERIALIZED (
          SELECT u.t, u.e FROM u
          WHERE EXISTS (SELECT 1 FROM covering x WHERE x.tenant_id = u.t AND x.customer_id = u.c
                          AND u.ts >= x.period_start AND u.ts < x.period_end AND x.status <> 'draft')
            AND NOT EXISTS (SELECT 1 FROM usage_events l WHERE l.tenant_id = u.t AND l.event_id = u.e)
        ),
        inserted AS (
          INSERT INTO usage_events (tenant_id, event_id, customer_id, metric, quantity, ts, properties)
          SELECT t, e, c, m, q, ts, p::jsonb FROM u
          WHERE NOT EXISTS (SELECT 1 FROM closed WHERE closed.t = u.t AND closed.e = u.e)
          ON CONFLICT (tenant_id, event_id) DO NOTHING
          RETURNING tenant_id, event_id, seq
        )
        SELECT tenant_id, event_id, seq FROM inserted
        UNION ALL
        SELECT t, e, -1 FROM closed
        """;

    /// <summary>The sequence <see cref="InsertAsync"/> reports for an event refused because its period's invoice is finalized.</summary>
    public const long PeriodClosed = -1;

    // The range filter every aggregate shares: $1 tenant, $2 customer, $3 from, $4 to, $5 metric or null.
    private const string Range =
        "tenant_id = $1 AND customer_id = $2 AND ts >= $3 AND ts < $4 AND ($5::text IS NULL OR metric = $5)";

    /// <summary>
    /// One multi-row INSERT … ON CONFLICT DO NOTHING. Keys must be distinct within the call (the writer
    /// ensures it). Returns the (tenant, event id) → sequence of the rows that were new, and
    /// <see cref="PeriodClosed"/> for those refused because their period's invoice is finalized.
    /// </summary>
    public async Task<Dictionary<(string TenantId, string EventId), long>> InsertAsync(
        IReadOnlyList<UsageLogRow> rows, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var tenants = new string[rows.Count];
        var eventIds = new string[rows.Count];
        var customers = new string[rows.Count];
        var metrics = new string[rows.Count];
        var quantities = new decimal[rows.Count];
        var timestamps = new DateTime[rows.Count];
        var properties = new string?[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            tenants[i] = row.TenantId;
            eventIds[i] = row.Event.EventId;
            customers[i] = row.CustomerId;
            metrics[i] = row.Event.Metric;
            quantities[i] = row.Event.Quantity;
            timestamps[i] = row.Timestamp.UtcDateTime;
            properties[i] = row.Event.Properties.Count == 0 ? null : JsonSerializer.Serialize(row.Event.Properties);
        }
        await using var command = dataSource.CreateCommand(Insert);
        command.CommandTimeout = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds));
        command.Parameters.Add(new NpgsqlParameter { Value = tenants, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = eventIds, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = customers, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = metrics, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = quantities, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Numeric });
        command.Parameters.Add(new NpgsqlParameter { Value = timestamps, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = properties, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        var inserted = new Dictionary<(string, string), long>(rows.Count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            inserted[(reader.GetString(0), reader.GetString(1))] = reader.GetInt64(2);
        }
        return inserted;
    }

    /// <summary>
    /// A customer's aggregates over [from, to) with the distinct values of each property (null for a
    /// property with more than <paramref name="maxDistinctValues"/>): what a meter loads on activation.
    /// One round trip (three statements in a batch).
    /// </summary>
    public async Task<Dictionary<string, MetricAggregate>> LoadAsync(
        string tenantId, string customerId, DateTimeOffset from, DateTimeOffset to, int maxDistinctValues,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(RangeCommand(
            $"SELECT metric, sum(quantity), count(*), max(quantity) FROM usage_events WHERE {Range} GROUP BY metric",
            tenantId, customerId, from, to, null));
        batch.BatchCommands.Add(RangeCommand(
            $"SELECT DISTINCT ON (metric) metric, quantity, ts, seq FROM usage_events WHERE {Range} ORDER BY metric, ts DESC, seq DESC",
            tenantId, customerId, from, to, null));
        var distinct = RangeCommand(
            $"""
            SELECT e.metric, p.key, CASE WHEN count(DISTINCT p.value) <= $6 THEN array_agg(DISTINCT p.value) END
            FROM usage_events e CROSS JOIN LATERAL jsonb_each_text(e.properties) p
            WHERE {Range} GROUP BY e.metric, p.key
            """,
            tenantId, customerId, from, to, null);
        distinct.Parameters.Add(new NpgsqlParameter { Value = maxDistinctValues });
        batch.BatchCommands.Add(distinct);

        var totals = new Dictionary<string, (decimal Sum, long Count, decimal Max)>(StringComparer.Ordinal);
        var aggregates = new Dictionary<string, MetricAggregate>(StringComparer.Ordinal);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            totals[reader.GetString(0)] = (reader.GetDecimal(1), reader.GetInt64(2), reader.GetDecimal(3));
        }
        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var metric = reader.GetString(0);
            var (sum, count, max) = totals[metric];
            var aggregate = new MetricAggregate(maxDistinctValues);
            aggregate.Load(sum, count, max, reader.GetDecimal(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetInt64(3));
            aggregates[metric] = aggregate;
        }
        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (aggregates.TryGetValue(reader.GetString(0), out var aggregate))
            {
                aggregate.LoadDistinct(reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetFieldValue<string[]>(2));
            }
        }
        return aggregates;
    }

    /// <summary>Aggregates over [from, to) computed by the database: past periods and arbitrary ranges.</summary>
    public async Task<IReadOnlyList<MetricUsage>> SummariseAsync(
        string tenantId, string customerId, string? metric, DateTimeOffset from, DateTimeOffset to,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(RangeCommand(
            $"""
            SELECT DISTINCT ON (metric) metric,
                   sum(quantity) OVER w, count(*) OVER w, max(quantity) OVER w, quantity
            FROM usage_events WHERE {Range}
            WINDOW w AS (PARTITION BY metric)
            ORDER BY metric, ts DESC, seq DESC
            """,
            tenantId, customerId, from, to, metric));
        batch.BatchCommands.Add(RangeCommand(
            $"""
            SELECT e.metric, p.key, count(DISTINCT p.value)
            FROM usage_events e CROSS JOIN LATERAL jsonb_each_text(e.properties) p
            WHERE {Range} GROUP BY e.metric, p.key
            """,
            tenantId, customerId, from, to, metric));
        var rows = new List<(string Metric, decimal Sum, long Count, decimal Max, decimal Latest)>();
        var unique = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((reader.GetString(0), reader.GetDecimal(1), reader.GetInt64(2), reader.GetDecimal(3), reader.GetDecimal(4)));
        }
        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var name = reader.GetString(0);
            if (!unique.TryGetValue(name, out var counts))
            {
                counts = new Dictionary<string, long>(StringComparer.Ordinal);
                unique[name] = counts;
            }
            counts[reader.GetString(1)] = reader.GetInt64(2);
        }
        return rows.Select(r => new MetricUsage(r.Metric, r.Sum, r.Count, r.Max, r.Latest,
            unique.TryGetValue(r.Metric, out var counts) ? counts : new Dictionary<string, long>())).ToArray();
    }

    /// <summary>Distinct values of one property over [from, to): for a property a meter stopped tracking.</summary>
    public async Task<long> CountDistinctAsync(
        string tenantId, string customerId, string metric, string key, DateTimeOffset from, DateTimeOffset to,
        CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT count(DISTINCT properties ->> $6) FROM usage_events WHERE {Range} AND properties ? $6");
        AddRange(command.Parameters, tenantId, customerId, from, to, metric);
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Deletes at most <paramref name="limit"/> rows dated before <paramref name="before"/>.</summary>
    public async Task<int> DeleteBatchAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "DELETE FROM usage_events WHERE ctid = ANY (ARRAY (SELECT ctid FROM usage_events WHERE ts < $1 LIMIT $2))");
        command.CommandTimeout = 120;
        command.Parameters.Add(new NpgsqlParameter { Value = before.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A tenant's rows after the watermark that are older than the grace delay (database clock), in insert order.</summary>
    public async Task<IReadOnlyList<ForwardableEvent>> ReadForwardableAsync(
        string tenantId, long afterSequence, TimeSpan grace, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT seq, event_id, customer_id, metric, quantity, ts FROM usage_events
            WHERE tenant_id = $1 AND seq > $2 AND received_at < now() - $3
            ORDER BY seq LIMIT $4
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        command.Parameters.Add(new NpgsqlParameter { Value = afterSequence });
        command.Parameters.Add(new NpgsqlParameter { Value = grace, NpgsqlDbType = NpgsqlDbType.Interval });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        var events = new List<ForwardableEvent>(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new ForwardableEvent(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetDecimal(4), reader.GetFieldValue<DateTimeOffset>(5)));
        }
        return events;
    }

    /// <summary>True when the tenant has any row after the watermark, due or not.</summary>
    public async Task<bool> HasRowsAfterAsync(string tenantId, long afterSequence, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT EXISTS (SELECT 1 FROM usage_events WHERE tenant_id = $1 AND seq > $2)");
        command.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        command.Parameters.Add(new NpgsqlParameter { Value = afterSequence });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<long> GetForwardedSequenceAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT forwarded_seq FROM usage_forwarding WHERE tenant_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        return await command.ExecuteScalarAsync(cancellationToken) is long sequence ? sequence : 0;
    }

    /// <summary>Moves the watermark forward only (a stale writer can never move it back).</summary>
    public async Task SetForwardedSequenceAsync(string tenantId, long sequence, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO usage_forwarding (tenant_id, forwarded_seq) VALUES ($1, $2)
            ON CONFLICT (tenant_id) DO UPDATE SET forwarded_seq = GREATEST(usage_forwarding.forwarded_seq, EXCLUDED.forwarded_seq), updated_at = now()
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        command.Parameters.Add(new NpgsqlParameter { Value = sequence });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlBatchCommand RangeCommand(
        string sql, string tenantId, string customerId, DateTimeOffset from, DateTimeOffset to, string? metric)
    {
        var command = new NpgsqlBatchCommand(sql);
        AddRange(command.Parameters, tenantId, customerId, from, to, metric);
        return command;
    }

    private static void AddRange(
        NpgsqlParameterCollection parameters, string tenantId, string customerId, DateTimeOffset from, DateTimeOffset to, string? metric)
    {
        parameters.Add(new NpgsqlParameter { Value = tenantId });
        parameters.Add(new NpgsqlParameter { Value = customerId });
        parameters.Add(new NpgsqlParameter { Value = from.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        parameters.Add(new NpgsqlParameter { Value = to.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        parameters.Add(new NpgsqlParameter { Value = (object?)metric ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
    }
}

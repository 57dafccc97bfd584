using Npgsql;
using NpgsqlTypes;
using Platform.Grains.Interfaces.Invoices;

namespace Platform.Grains.Invoices;

/// <summary>
/// Writes invoices (0600_invoices.sql); only an invoice's own grain calls it for that invoice. The finalization is
/// one transaction: lock the invoice row, sum the usage log over the period, reprice the lines, take the tenant's
/// next number and freeze the invoice. A usage insert for that period holds a share lock on the same row
/// (UsageLog), so an event either commits before the sum (and is billed) or sees the invoice finalized and is
/// refused with <c>period_closed</c>: none is accepted and left unbilled.
/// </summary>
public sealed class InvoiceStore(NpgsqlDataSource dataSource)
{
    private const int TimeoutSeconds = 15;

    /// <summary>Inserts the draft and its lines; false when an invoice of this id already exists (nothing written).</summary>
    public async Task<bool> InsertDraftAsync(InvoiceRecord draft, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var insert = new NpgsqlCommand(
            """
            INSERT INTO invoices (tenant_id, id, customer_id, subscription_id, plan_id, status, currency, period_start, period_end,
              subtotal, total, amount_due, amount_remaining, collection_method, days_until_due, trial, pricing, finalizes_at,
              created, metadata, outbox)
            VALUES ($1, $2, $3, $4, $5, 'draft', $6, $7, $8, $9, $9, $9, $9, $10, $11, $12, $13::jsonb, $14, $15, $16::jsonb, $17::jsonb)
            ON CONFLICT DO NOTHING
            RETURNING id
            """, connection, transaction))
        {
            insert.CommandTimeout = TimeoutSeconds;
            insert.Parameters.AddWithValue(draft.TenantId);
            insert.Parameters.AddWithValue(draft.Id);
            insert.Parameters.AddWithValue(draft.CustomerId);
            insert.Parameters.AddWithValue(draft.SubscriptionId);
            insert.Parameters.AddWithValue(draft.PlanId);
            insert.Parameters.AddWithValue(draft.Currency);
            insert.Parameters.AddWithValue(draft.PeriodStart.UtcDateTime);
            insert.Parameters.AddWithValue(draft.PeriodEnd.UtcDateTime);
            insert.Parameters.AddWithValue(draft.Subtotal);
            insert.Parameters.AddWithValue(draft.CollectionMethod);
            insert.Parameters.AddWithValue((object?)draft.DaysUntilDue ?? DBNull.Value).NpgsqlDbType = NpgsqlDbType.Integer;
            insert.Parameters.AddWithValue(draft.Trial);
            insert.Parameters.AddWithValue(InvoiceJson.Write(draft.Pricing));
            insert.Parameters.AddWithValue(Nullable(draft.FinalizesAt)).NpgsqlDbType = NpgsqlDbType.TimestampTz;
            insert.Parameters.AddWithValue(draft.Created.UtcDateTime);
            insert.Parameters.AddWithValue(InvoiceJson.Write(draft.Metadata));
            insert.Parameters.AddWithValue(InvoiceJson.Write(draft.Outbox));
            if (await insert.ExecuteScalarAsync(cancellationToken) is null)
            {
                await transaction.RollbackAsync(cancellationToken);
                return false;
            }
        }
        await InsertLinesAsync(connection, transaction, draft, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Finalizes the draft in one transaction: <paramref name="finalize"/> gets the usage log's sums per metric over
    /// the period and the tenant's next number (prefix, n) and returns the finalized record, which is written with
    /// its lines. When the row is already finalized (an earlier attempt committed), nothing changes and the stored
    /// invoice is returned: a retried finalization keeps the number it got.
    /// </summary>
    public async Task<InvoiceRecord> FinalizeAsync(
        InvoiceRecord draft, string defaultPrefix,
        Func<IReadOnlyDictionary<string, decimal>, string, long, InvoiceRecord> finalize,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var locking = new NpgsqlCommand("SELECT status FROM invoices WHERE tenant_id = $1 AND id = $2 FOR UPDATE", connection, transaction))
        {
            locking.CommandTimeout = TimeoutSeconds;
            locking.Parameters.AddWithValue(draft.TenantId);
            locking.Parameters.AddWithValue(draft.Id);
            var status = await locking.ExecuteScalarAsync(cancellationToken) as string
                         ?? throw new InvalidOperationException($"Invoice {draft.Id} has no row to finalize.");
            if (status != InvoiceStatuses.Draft)
            {
                var stored = await InvoiceReader.LoadAsync(connection, transaction, draft.TenantId, draft.Id, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return stored!;
            }
        }
        var usage = await UsageSumsAsync(connection, transaction, draft, cancellationToken);
        string prefix;
        long number;
        await using (var numbering = new NpgsqlCommand(
            """
            INSERT INTO invoice_numbering AS n (tenant_id, prefix, last_number) VALUES ($1, $2, 1)
            ON CONFLICT (tenant_id) DO UPDATE SET last_number = n.last_number + 1, updated_at = now()
            RETURNING prefix, last_number
            """, connection, transaction))
        {
            numbering.CommandTimeout = TimeoutSeconds;
            numbering.Parameters.AddWithValue(draft.TenantId);
            numbering.Parameters.AddWithValue(defaultPrefix);
            await using var reader = await numbering.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            (prefix, number) = (reader.GetString(0), reader.GetInt64(1));
        }
        var finalized = finalize(usage, prefix, number);
        await using (var deleting = new NpgsqlCommand("DELETE FROM invoice_lines WHERE tenant_id = $1 AND invoice_id = $2", connection, transaction))
        {
            deleting.Parameters.AddWithValue(draft.TenantId);
            deleting.Parameters.AddWithValue(draft.Id);
            await deleting.ExecuteNonQueryAsync(cancellationToken);
        }
        await InsertLinesAsync(connection, transaction, finalized, cancellationToken);
        await using (var update = new NpgsqlCommand(
            """
            UPDATE invoices SET number = $3, number_seq = $4, subtotal = $5, total = $5, amount_due = $5, finalized_at = $6, status = $7
            WHERE tenant_id = $1 AND id = $2
            """, connection, transaction))
        {
            update.Parameters.AddWithValue(draft.TenantId);
            update.Parameters.AddWithValue(draft.Id);
            update.Parameters.AddWithValue(finalized.Number!);
            update.Parameters.AddWithValue(finalized.NumberSeq!.Value);
            update.Parameters.AddWithValue(finalized.Subtotal);
            update.Parameters.AddWithValue(Nullable(finalized.FinalizedAt)).NpgsqlDbType = NpgsqlDbType.TimestampTz;
            // The lines were written while the row was still a draft: from this statement on, the triggers freeze them.
            update.Parameters.AddWithValue(finalized.Status);
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
        await UpdateMutableAsync(connection, transaction, finalized, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return finalized;
    }

    /// <summary>Writes what may change after finalization: status, payment fields, collection and the outbox.</summary>
    public async Task UpdateAsync(InvoiceRecord record, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await UpdateMutableAsync(connection, null, record, cancellationToken);
    }

    private static async Task UpdateMutableAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, InvoiceRecord r, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            UPDATE invoices SET status = $3, amount_paid = $4, amount_remaining = $5, attempt_count = $6, next_payment_attempt = $7,
              due_date = $8, paid_at = $9, voided_at = $10, marked_uncollectible_at = $11, payment_intent_id = $12,
              payment_attempts = $13, collection_started = $14, outbox = $15::jsonb
            WHERE tenant_id = $1 AND id = $2
            """, connection, transaction);
        command.CommandTimeout = TimeoutSeconds;
        command.Parameters.AddWithValue(r.TenantId);
        command.Parameters.AddWithValue(r.Id);
        command.Parameters.AddWithValue(r.Status);
        command.Parameters.AddWithValue(r.AmountPaid);
        command.Parameters.AddWithValue(r.AmountRemaining);
        command.Parameters.AddWithValue(r.AttemptCount);
        command.Parameters.AddWithValue(Nullable(r.NextPaymentAttempt)).NpgsqlDbType = NpgsqlDbType.TimestampTz;
        command.Parameters.AddWithValue(Nullable(r.DueDate)).NpgsqlDbType = NpgsqlDbType.TimestampTz;
        command.Parameters.AddWithValue(Nullable(r.PaidAt)).NpgsqlDbType = NpgsqlDbType.TimestampTz;
        command.Parameters.AddWithValue(Nullable(r.VoidedAt)).NpgsqlDbType = NpgsqlDbType.TimestampTz;
        command.Parameters.AddWithValue(Nullable(r.MarkedUncollectibleAt)).NpgsqlDbType = NpgsqlDbType.TimestampTz;
        command.Parameters.AddWithValue((object?)r.PaymentIntentId ?? DBNull.Value).NpgsqlDbType = NpgsqlDbType.Text;
        command.Parameters.AddWithValue(r.PaymentAttempts.ToArray());
        command.Parameters.AddWithValue(r.CollectionStarted);
        command.Parameters.AddWithValue(InvoiceJson.Write(r.Outbox));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The usage log's sum per metric of the invoice's customer over its period [start, end).</summary>
    public async Task<IReadOnlyDictionary<string, decimal>> UsageSumsAsync(InvoiceRecord invoice, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await UsageSumsAsync(connection, null, invoice, cancellationToken);
    }

    private static async Task<IReadOnlyDictionary<string, decimal>> UsageSumsAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, InvoiceRecord invoice, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT metric, sum(quantity) FROM usage_events
            WHERE tenant_id = $1 AND customer_id = $2 AND ts >= $3 AND ts < $4
            GROUP BY metric
            """, connection, transaction);
        command.CommandTimeout = TimeoutSeconds;
        command.Parameters.AddWithValue(invoice.TenantId);
        command.Parameters.AddWithValue(invoice.CustomerId);
        command.Parameters.AddWithValue(invoice.PeriodStart.UtcDateTime);
        command.Parameters.AddWithValue(invoice.PeriodEnd.UtcDateTime);
        var sums = new Dictionary<string, decimal>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            sums[reader.GetString(0)] = reader.GetDecimal(1);
        }
        return sums;
    }

    private static async Task InsertLinesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, InvoiceRecord invoice, CancellationToken cancellationToken)
    {
        var lines = invoice.Lines;
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO invoice_lines (tenant_id, invoice_id, position, id, type, description, metric, quantity, amount, pricing_model,
              tiers, period_start, period_end)
            SELECT $1, $2, p, i, t, d, m, q, a, pm, tr::jsonb, $3, $4
            FROM unnest($5::int[], $6::text[], $7::text[], $8::text[], $9::text[], $10::numeric[], $11::bigint[], $12::smallint[], $13::text[])
              AS u(p, i, t, d, m, q, a, pm, tr)
            """, connection, transaction);
        command.CommandTimeout = TimeoutSeconds;
        command.Parameters.AddWithValue(invoice.TenantId);
        command.Parameters.AddWithValue(invoice.Id);
        command.Parameters.AddWithValue(invoice.PeriodStart.UtcDateTime);
        command.Parameters.AddWithValue(invoice.PeriodEnd.UtcDateTime);
        command.Parameters.AddWithValue(Enumerable.Range(0, lines.Count).ToArray());
        command.Parameters.AddWithValue(lines.Select(l => l.Id).ToArray());
        command.Parameters.AddWithValue(lines.Select(l => l.Type).ToArray());
        command.Parameters.AddWithValue(lines.Select(l => l.Description).ToArray());
        command.Parameters.Add(new NpgsqlParameter { Value = lines.Select(l => l.Metric).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.AddWithValue(lines.Select(l => l.Quantity).ToArray());
        command.Parameters.AddWithValue(lines.Select(l => l.Amount).ToArray());
        command.Parameters.Add(new NpgsqlParameter
        {
            Value = lines.Select(l => l.Model is { } model ? (short?)model : null).ToArray(),
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint,
        });
        command.Parameters.AddWithValue(lines.Select(l => InvoiceJson.Write(l.Tiers)).ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static object Nullable(DateTimeOffset? time) => time is { } t ? t.UtcDateTime : DBNull.Value;
}

using Npgsql;
using NpgsqlTypes;

namespace Platform.Grains.Invoices;

/// <summary>
/// Writes Stripe's invoices mirrored into <c>invoices</c>/<c>invoice_lines</c> (0620_stripe_invoices.sql), for the
/// invoice grain that owns the row. A new row, or one still a draft, is written as a draft with Stripe's lines and
/// totals and then moved to Stripe's status in the same transaction, so the database's frozen-when-finalized rules
/// hold unchanged; a finalized row only moves its status and payment fields.
/// </summary>
public sealed class StripeInvoiceStore(NpgsqlDataSource dataSource)
{
    private const int TimeoutSeconds = 15;

    /// <summary>Writes the mirror; false when a new row lost to another writer of the same id (nothing written).</summary>
    public async Task<bool> WriteAsync(InvoiceRecord invoice, bool isNew, bool linesChanged, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (isNew && !await InsertDraftAsync(connection, transaction, invoice, cancellationToken))
        {
            await transaction.RollbackAsync(cancellationToken);
            return false;
        }
        if (linesChanged)
        {
            await WriteContentAsync(connection, transaction, invoice, cancellationToken);
        }
        await using (var command = new NpgsqlCommand(
            """
            UPDATE invoices SET status = $3, number = COALESCE(number, $4), finalized_at = COALESCE(finalized_at, $5), amount_paid = $6,
              amount_remaining = $7, attempt_count = $8, next_payment_attempt = $9, due_date = $10, paid_at = $11, voided_at = $12,
              marked_uncollectible_at = $13, outbox = $14::jsonb, stripe_event_created = $15, stripe_event_rank = $16, stripe_event_id = $17
            WHERE tenant_id = $1 AND id = $2
            """, connection, transaction))
        {
            command.CommandTimeout = TimeoutSeconds;
            command.Parameters.AddWithValue(invoice.TenantId);
            command.Parameters.AddWithValue(invoice.Id);
            command.Parameters.AddWithValue(invoice.Status);
            InvoiceStore.Text(command, invoice.Number);
            Time(command, invoice.FinalizedAt);
            command.Parameters.AddWithValue(invoice.AmountPaid);
            command.Parameters.AddWithValue(invoice.AmountRemaining);
            command.Parameters.AddWithValue(invoice.AttemptCount);
            Time(command, invoice.NextPaymentAttempt);
            Time(command, invoice.DueDate);
            Time(command, invoice.PaidAt);
            Time(command, invoice.VoidedAt);
            Time(command, invoice.MarkedUncollectibleAt);
            command.Parameters.AddWithValue(InvoiceJson.Write(invoice.Outbox));
            command.Parameters.AddWithValue(invoice.StripeVersion?.Created ?? 0);
            command.Parameters.AddWithValue(invoice.StripeVersion?.Rank ?? 0);
            command.Parameters.AddWithValue(invoice.StripeVersion?.EventId ?? "");
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Only the staged outbox (what the invoice grain publishes and clears).</summary>
    public async Task WriteOutboxAsync(InvoiceRecord invoice, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("UPDATE invoices SET outbox = $3::jsonb WHERE tenant_id = $1 AND id = $2");
        command.Parameters.AddWithValue(invoice.TenantId);
        command.Parameters.AddWithValue(invoice.Id);
        command.Parameters.AddWithValue(InvoiceJson.Write(invoice.Outbox));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<bool> InsertDraftAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, InvoiceRecord r, CancellationToken cancellationToken)
    {
        await using var insert = new NpgsqlCommand(
            """
            INSERT INTO invoices (tenant_id, id, customer_id, subscription_id, plan_id, status, currency, period_start, period_end,
              subtotal, total, amount_due, amount_remaining, collection_method, trial, pricing, created, metadata, total_excluding_tax,
              managed_by, stripe_invoice_id)
            VALUES ($1, $2, $3, $4, $5, 'draft', $6, $7, $8, 0, 0, 0, 0, $9, false, $10::jsonb, $11, $12::jsonb, 0, 'stripe', $13)
            ON CONFLICT DO NOTHING
            RETURNING id
            """, connection, transaction);
        insert.CommandTimeout = TimeoutSeconds;
        insert.Parameters.AddWithValue(r.TenantId);
        insert.Parameters.AddWithValue(r.Id);
        insert.Parameters.AddWithValue(r.CustomerId);
        InvoiceStore.Text(insert, r.SubscriptionId);
        InvoiceStore.Text(insert, r.PlanId);
        insert.Parameters.AddWithValue(r.Currency);
        insert.Parameters.AddWithValue(r.PeriodStart.UtcDateTime);
        insert.Parameters.AddWithValue(r.PeriodEnd.UtcDateTime);
        insert.Parameters.AddWithValue(r.CollectionMethod);
        insert.Parameters.AddWithValue(InvoiceJson.Write(r.Pricing));
        insert.Parameters.AddWithValue(r.Created.UtcDateTime);
        insert.Parameters.AddWithValue(InvoiceJson.Write(r.Metadata));
        InvoiceStore.Text(insert, r.StripeInvoiceId);
        return await insert.ExecuteScalarAsync(cancellationToken) is not null;
    }

    /// <summary>Stripe's lines and totals, written while the row is still a draft.</summary>
    private static async Task WriteContentAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, InvoiceRecord r, CancellationToken cancellationToken)
    {
        await InvoiceStore.WriteLinesAsync(connection, transaction, r, cancellationToken);
        await using var totals = new NpgsqlCommand(
            """
            UPDATE invoices SET subtotal = $3, total = $4, total_excluding_tax = $4, amount_due = $5, period_start = $6, period_end = $7,
              currency = $8, collection_method = $9
            WHERE tenant_id = $1 AND id = $2
            """, connection, transaction);
        totals.CommandTimeout = TimeoutSeconds;
        totals.Parameters.AddWithValue(r.TenantId);
        totals.Parameters.AddWithValue(r.Id);
        totals.Parameters.AddWithValue(r.Subtotal);
        totals.Parameters.AddWithValue(r.Total);
        totals.Parameters.AddWithValue(r.AmountDue);
        totals.Parameters.AddWithValue(r.PeriodStart.UtcDateTime);
        totals.Parameters.AddWithValue(r.PeriodEnd.UtcDateTime);
        totals.Parameters.AddWithValue(r.Currency);
        totals.Parameters.AddWithValue(r.CollectionMethod);
        await totals.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void Time(NpgsqlCommand command, DateTimeOffset? value) =>
        command.Parameters.AddWithValue(value is { } t ? t.UtcDateTime : DBNull.Value).NpgsqlDbType = NpgsqlDbType.TimestampTz;
}

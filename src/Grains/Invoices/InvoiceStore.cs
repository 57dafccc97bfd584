using Npgsql;
using NpgsqlTypes;
using Platform.Grains.Adjustments;
using Platform.Grains.Interfaces.Adjustments;
using Platform.Grains.Interfaces.Invoices;

namespace Platform.Grains.Invoices;

/// <summary>What an invoice is priced from besides its plan: the usage log's sums, its invoice items, the customer's balance, tax status and grants.</summary>
public sealed record PricingInputs(
    IReadOnlyDictionary<string, decimal> Usage,
    IReadOnlyList<InvoiceItemSnapshot> Items,
    string TaxExempt,
    long Balance,
    IReadOnlyList<CreditGrantBalance> Grants,
    SubscriptionDiscount? CustomerDiscount = null);

/// <summary>
/// Writes invoices (0600_invoices.sql, 0610_invoice_adjustments.sql); only an invoice's own grain calls it for that
/// invoice. The finalization is one transaction: lock the invoice row, sum the usage log over the period, take the
/// customer's pending invoice items, lock the customer's billing row (balance, grants), take the tenant's next number,
/// freeze the invoice and write what it spent of the balance and the grants. A usage insert for that period holds a
/// share lock on the same row (UsageLog), so an event either commits before the sum (and is billed) or sees the
/// invoice finalized and is refused with <c>period_closed</c>: none is accepted and left unbilled.
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
              created, metadata, outbox, description, adjustments, total_excluding_tax)
            VALUES ($1, $2, $3, $4, $5, 'draft', $6, $7, $8, 0, 0, 0, 0, $9, $10, $11, $12::jsonb, $13, $14, $15::jsonb, $16::jsonb, $17, $18::jsonb, 0)
            ON CONFLICT DO NOTHING
            RETURNING id
            """, connection, transaction))
        {
            insert.CommandTimeout = TimeoutSeconds;
            insert.Parameters.AddWithValue(draft.TenantId);
            insert.Parameters.AddWithValue(draft.Id);
            insert.Parameters.AddWithValue(draft.CustomerId);
            Text(insert, draft.SubscriptionId);
            Text(insert, draft.PlanId);
            insert.Parameters.AddWithValue(draft.Currency);
            insert.Parameters.AddWithValue(draft.PeriodStart.UtcDateTime);
            insert.Parameters.AddWithValue(draft.PeriodEnd.UtcDateTime);
            insert.Parameters.AddWithValue(draft.CollectionMethod);
            insert.Parameters.AddWithValue((object?)draft.DaysUntilDue ?? DBNull.Value).NpgsqlDbType = NpgsqlDbType.Integer;
            insert.Parameters.AddWithValue(draft.Trial);
            insert.Parameters.AddWithValue(InvoiceJson.Write(draft.Pricing));
            insert.Parameters.AddWithValue(Nullable(draft.FinalizesAt)).NpgsqlDbType = NpgsqlDbType.TimestampTz;
            insert.Parameters.AddWithValue(draft.Created.UtcDateTime);
            insert.Parameters.AddWithValue(InvoiceJson.Write(draft.Metadata));
            insert.Parameters.AddWithValue(InvoiceJson.Write(draft.Outbox));
            Text(insert, draft.Description);
            insert.Parameters.AddWithValue(InvoiceJson.Write(draft.Terms));
            if (await insert.ExecuteScalarAsync(cancellationToken) is null)
            {
                await transaction.RollbackAsync(cancellationToken);
                return false;
            }
        }
        await WriteLinesAndTotalsAsync(connection, transaction, draft, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// The inputs a draft is priced from now, without spending anything. With <paramref name="claim"/> (a one-off
    /// invoice) the customer's pending items are attached to it for good.
    /// </summary>
    public async Task<PricingInputs> DraftInputsAsync(InvoiceRecord invoice, DateTimeOffset now, bool claim, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var inputs = await InputsAsync(connection, transaction, invoice, now, claim, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return inputs;
    }

    /// <summary>Rewrites a draft's lines and totals (a draft only: the triggers refuse it on a finalized invoice).</summary>
    public async Task UpdateDraftAsync(InvoiceRecord draft, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await WriteLinesAndTotalsAsync(connection, transaction, draft, cancellationToken);
        await UpdateMutableAsync(connection, transaction, draft, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Finalizes the draft in one transaction: <paramref name="finalize"/> gets the pricing inputs as they stand under
    /// the locks and the tenant's next number (prefix, n) and returns the finalized record, which is written with its
    /// lines, its balance entry and what it spent of the grants. When the row is already finalized (an earlier attempt
    /// committed), nothing changes and the stored invoice is returned: a retried finalization keeps the number it got.
    /// </summary>
    public async Task<InvoiceRecord> FinalizeAsync(
        InvoiceRecord draft, string defaultPrefix, DateTimeOffset now,
        Func<PricingInputs, string, long, InvoiceRecord> finalize,
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
        var billing = await CustomerLedger.LockAsync(connection, transaction, draft.TenantId, draft.CustomerId, cancellationToken);
        if (billing.Currency is null)
        {
            await CustomerLedger.FixCurrencyAsync(connection, transaction, billing, draft.Currency, cancellationToken);
        }
        var inputs = await InputsAsync(connection, transaction, draft, now, claim: true, cancellationToken, billing);
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
        var finalized = finalize(inputs, prefix, number);
        // The lines and totals are written while the row is still a draft: from the status update on, the triggers freeze them.
        await WriteLinesAndTotalsAsync(connection, transaction, finalized, cancellationToken);
        await using (var update = new NpgsqlCommand(
            "UPDATE invoices SET number = $3, number_seq = $4, finalized_at = $5, status = $6 WHERE tenant_id = $1 AND id = $2", connection, transaction))
        {
            update.Parameters.AddWithValue(draft.TenantId);
            update.Parameters.AddWithValue(draft.Id);
            update.Parameters.AddWithValue(finalized.Number!);
            update.Parameters.AddWithValue(finalized.NumberSeq!.Value);
            update.Parameters.AddWithValue(Nullable(finalized.FinalizedAt)).NpgsqlDbType = NpgsqlDbType.TimestampTz;
            update.Parameters.AddWithValue(finalized.Status);
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
        if (finalized.EndingBalance is { } ending && billing.Currency == finalized.Currency)
        {
            await CustomerLedger.AppendAsync(connection, transaction, billing, ending - finalized.StartingBalance, BalanceTransactionTypes.AppliedToInvoice,
                finalized.Id, null, $"Applied to invoice {finalized.Number}", now, cancellationToken);
        }
        await CustomerLedger.SpendGrantsAsync(connection, transaction, draft.TenantId, finalized.Terms.GrantsUsed, 1, cancellationToken);
        if (billing.Discount is { } customerDiscount
            && ((finalized.Terms.CustomerDiscountUsed && customerDiscount.Duration == CouponDurations.Once) || !customerDiscount.AppliesTo(finalized.PeriodStart)))
        {
            await CustomerLedger.ClearDiscountAsync(connection, transaction, billing, cancellationToken);
        }
        await UpdateMutableAsync(connection, transaction, finalized, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return finalized;
    }

    /// <summary>Writes what may change after finalization: status, payment fields, collection and the outbox; a bought grant starts when its invoice is paid.</summary>
    public async Task UpdateAsync(InvoiceRecord record, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await UpdateMutableAsync(connection, transaction, record, cancellationToken);
        if (record is { Status: InvoiceStatuses.Paid, Terms.CreditGrantId: { } grantId })
        {
            await using var effective = new NpgsqlCommand(
                "UPDATE credit_grants SET effective_at = coalesce(effective_at, $3) WHERE tenant_id = $1 AND id = $2", connection, transaction);
            effective.Parameters.AddWithValue(record.TenantId);
            effective.Parameters.AddWithValue(grantId);
            effective.Parameters.AddWithValue((record.PaidAt ?? DateTimeOffset.UtcNow).UtcDateTime);
            await effective.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Voids a finalized invoice: what it took of the customer's balance and grants goes back, with the status, in one transaction.</summary>
    public async Task VoidAsync(InvoiceRecord voided, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var billing = await CustomerLedger.LockAsync(connection, transaction, voided.TenantId, voided.CustomerId, cancellationToken);
        if (voided.EndingBalance is { } ending && billing.Currency == voided.Currency)
        {
            await CustomerLedger.AppendAsync(connection, transaction, billing, voided.StartingBalance - ending, BalanceTransactionTypes.UnappliedFromInvoice,
                voided.Id, null, $"Invoice {voided.Number} voided", now, cancellationToken);
        }
        await CustomerLedger.SpendGrantsAsync(connection, transaction, voided.TenantId, voided.Terms.GrantsUsed, -1, cancellationToken);
        await UpdateMutableAsync(connection, transaction, voided, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Issues a credit note with the invoice's new figures in one transaction; its <c>credit_amount</c> goes to the
    /// customer's balance (a credit) in the same transaction. False when a note of this id exists (nothing written).
    /// </summary>
    public async Task<bool> InsertCreditNoteAsync(InvoiceRecord invoice, CreditNoteSnapshot note, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var insert = new NpgsqlCommand(
            """
            INSERT INTO credit_notes (tenant_id, id, number, invoice_id, customer_id, amount, currency, pre_payment_amount, refund_amount, credit_amount,
              reason, memo, status, metadata, created, lines)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'issued', $13::jsonb, $14, $15::jsonb) ON CONFLICT DO NOTHING RETURNING id
            """, connection, transaction))
        {
            insert.Parameters.AddWithValue(invoice.TenantId);
            insert.Parameters.AddWithValue(note.Id);
            insert.Parameters.AddWithValue(note.Number);
            insert.Parameters.AddWithValue(invoice.Id);
            insert.Parameters.AddWithValue(invoice.CustomerId);
            insert.Parameters.AddWithValue(note.Amount);
            insert.Parameters.AddWithValue(note.Currency);
            insert.Parameters.AddWithValue(note.PrePaymentAmount);
            insert.Parameters.AddWithValue(note.RefundAmount);
            insert.Parameters.AddWithValue(note.CreditAmount);
            Text(insert, note.Reason);
            Text(insert, note.Memo);
            insert.Parameters.AddWithValue(InvoiceJson.Write(note.Metadata));
            insert.Parameters.AddWithValue(note.Created.UtcDateTime);
            insert.Parameters.AddWithValue(InvoiceJson.Write(note.Lines ?? []));
            if (await insert.ExecuteScalarAsync(cancellationToken) is null)
            {
                await transaction.RollbackAsync(cancellationToken);
                return false;
            }
        }
        await BalanceForNoteAsync(connection, transaction, invoice, note, -note.CreditAmount, $"Credit note {note.Number}", cancellationToken);
        await UpdateMutableAsync(connection, transaction, invoice, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Voids the note with the invoice's restored figures; its balance credit is taken back (a debit entry).</summary>
    public async Task VoidCreditNoteAsync(InvoiceRecord invoice, CreditNoteSnapshot note, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var update = new NpgsqlCommand(
            "UPDATE credit_notes SET status = 'void', voided_at = $3 WHERE tenant_id = $1 AND id = $2 AND status = 'issued'", connection, transaction))
        {
            update.Parameters.AddWithValue(invoice.TenantId);
            update.Parameters.AddWithValue(note.Id);
            update.Parameters.AddWithValue(note.VoidedAt!.Value.UtcDateTime);
            if (await update.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                return;
            }
        }
        await BalanceForNoteAsync(connection, transaction, invoice, note, note.CreditAmount, $"Credit note {note.Number} voided", cancellationToken);
        await UpdateMutableAsync(connection, transaction, invoice, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task SetCreditNoteRefundAsync(string tenantId, string creditNoteId, string refundId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("UPDATE credit_notes SET refund_id = $3 WHERE tenant_id = $1 AND id = $2 AND refund_id IS NULL");
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(creditNoteId);
        command.Parameters.AddWithValue(refundId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task BalanceForNoteAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, InvoiceRecord invoice, CreditNoteSnapshot note, long amount, string description,
        CancellationToken cancellationToken)
    {
        if (amount == 0)
        {
            return;
        }
        var billing = await CustomerLedger.LockAsync(connection, transaction, invoice.TenantId, invoice.CustomerId, cancellationToken);
        await CustomerLedger.FixCurrencyAsync(connection, transaction, billing, invoice.Currency, cancellationToken);
        await CustomerLedger.AppendAsync(connection, transaction, billing, amount, BalanceTransactionTypes.CreditNote, invoice.Id, note.Id, description,
            note.VoidedAt ?? note.Created, cancellationToken);
    }

    private static async Task<PricingInputs> InputsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, InvoiceRecord invoice, DateTimeOffset now, bool claim, CancellationToken cancellationToken,
        LockedBilling? locked = null)
    {
        var usage = invoice.IsOneOff ? new Dictionary<string, decimal>() : await UsageSumsAsync(connection, transaction, invoice, cancellationToken);
        var items = await CustomerLedger.ClaimItemsAsync(connection, transaction, invoice, claim, cancellationToken);
        var billing = locked ?? await CustomerLedger.LockAsync(connection, transaction, invoice.TenantId, invoice.CustomerId, cancellationToken);
        if (billing.Currency != invoice.Currency)
        {
            // Only a customer's own currency has a balance and grants (a later invoice in another is refused upstream).
            return new PricingInputs(usage, items, billing.TaxExempt, 0, [], billing.Discount);
        }
        var grants = await CustomerLedger.UsableGrantsAsync(connection, transaction, invoice.TenantId, invoice.CustomerId, invoice.Currency, now, cancellationToken);
        return new PricingInputs(usage, items, billing.TaxExempt, billing.Balance, grants, billing.Discount);
    }

    private static async Task UpdateMutableAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, InvoiceRecord r, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            UPDATE invoices SET status = $3, amount_paid = $4, amount_remaining = $5, attempt_count = $6, next_payment_attempt = $7,
              due_date = $8, paid_at = $9, voided_at = $10, marked_uncollectible_at = $11, payment_intent_id = $12,
              payment_attempts = $13, collection_started = $14, outbox = $15::jsonb, amount_due = $16,
              pre_payment_credit_notes_amount = $17, post_payment_credit_notes_amount = $18
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
        Text(command, r.PaymentIntentId);
        command.Parameters.AddWithValue(r.PaymentAttempts.ToArray());
        command.Parameters.AddWithValue(r.CollectionStarted);
        command.Parameters.AddWithValue(InvoiceJson.Write(r.Outbox));
        command.Parameters.AddWithValue(r.AmountDue);
        command.Parameters.AddWithValue(r.PrePaymentCreditNotes);
        command.Parameters.AddWithValue(r.PostPaymentCreditNotes);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The usage log's sum per metric of the invoice's customer over its period [start, end).</summary>
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

    private static async Task WriteLinesAndTotalsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, InvoiceRecord invoice, CancellationToken cancellationToken)
    {
        await WriteLinesAsync(connection, transaction, invoice, cancellationToken);
        await using var totals = new NpgsqlCommand(
            """
            UPDATE invoices SET subtotal = $3, total = $4, amount_due = $5, amount_remaining = $5, total_discount = $6, tax = $7, total_excluding_tax = $8,
              credits_applied = $9, starting_balance = $10, ending_balance = $11, adjustments = $12::jsonb
            WHERE tenant_id = $1 AND id = $2
            """, connection, transaction);
        totals.Parameters.AddWithValue(invoice.TenantId);
        totals.Parameters.AddWithValue(invoice.Id);
        totals.Parameters.AddWithValue(invoice.Subtotal);
        totals.Parameters.AddWithValue(invoice.Total);
        totals.Parameters.AddWithValue(invoice.AmountDue);
        totals.Parameters.AddWithValue(invoice.TotalDiscount);
        totals.Parameters.AddWithValue(invoice.Tax);
        totals.Parameters.AddWithValue(invoice.TotalExcludingTax);
        totals.Parameters.AddWithValue(invoice.CreditsApplied);
        totals.Parameters.AddWithValue(invoice.StartingBalance);
        totals.Parameters.AddWithValue((object?)invoice.EndingBalance ?? DBNull.Value).NpgsqlDbType = NpgsqlDbType.Bigint;
        totals.Parameters.AddWithValue(InvoiceJson.Write(invoice.Terms));
        await totals.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Replaces a draft's lines with the record's (the triggers refuse it once finalized): the one writer of invoice_lines.</summary>
    internal static async Task WriteLinesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, InvoiceRecord invoice, CancellationToken cancellationToken)
    {
        await using (var deleting = new NpgsqlCommand("DELETE FROM invoice_lines WHERE tenant_id = $1 AND invoice_id = $2", connection, transaction))
        {
            deleting.Parameters.AddWithValue(invoice.TenantId);
            deleting.Parameters.AddWithValue(invoice.Id);
            await deleting.ExecuteNonQueryAsync(cancellationToken);
        }
        var lines = invoice.Lines;
        await using (var command = new NpgsqlCommand(
            """
            INSERT INTO invoice_lines (tenant_id, invoice_id, position, id, type, description, metric, quantity, amount, pricing_model,
              tiers, period_start, period_end, discount_amount, tax_amounts, invoice_item_id, proration, plan_id)
            SELECT $1, $2, p, i, t, d, m, q, a, pm, tr::jsonb, ps, pe, da, ta::jsonb, ii, pr, pl
            FROM unnest($3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::numeric[], $9::bigint[], $10::smallint[], $11::text[],
                        $12::timestamptz[], $13::timestamptz[], $14::bigint[], $15::text[], $16::text[], $17::boolean[], $18::text[])
              AS u(p, i, t, d, m, q, a, pm, tr, ps, pe, da, ta, ii, pr, pl)
            """, connection, transaction))
        {
            command.CommandTimeout = TimeoutSeconds;
            command.Parameters.AddWithValue(invoice.TenantId);
            command.Parameters.AddWithValue(invoice.Id);
            command.Parameters.AddWithValue(Enumerable.Range(0, lines.Count).ToArray());
            command.Parameters.AddWithValue(lines.Select(l => l.Id).ToArray());
            command.Parameters.AddWithValue(lines.Select(l => l.Type).ToArray());
            command.Parameters.AddWithValue(lines.Select(l => l.Description).ToArray());
            TextArray(command, lines.Select(l => l.Metric));
            command.Parameters.AddWithValue(lines.Select(l => l.Quantity).ToArray());
            command.Parameters.AddWithValue(lines.Select(l => l.Amount).ToArray());
            command.Parameters.Add(new NpgsqlParameter
            {
                Value = lines.Select(l => l.Model is { } model ? (short?)model : null).ToArray(),
                NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint,
            });
            command.Parameters.AddWithValue(lines.Select(l => InvoiceJson.Write(l.Tiers)).ToArray());
            command.Parameters.AddWithValue(lines.Select(l => l.PeriodStart.UtcDateTime).ToArray());
            command.Parameters.AddWithValue(lines.Select(l => l.PeriodEnd.UtcDateTime).ToArray());
            command.Parameters.AddWithValue(lines.Select(l => l.DiscountAmount).ToArray());
            command.Parameters.AddWithValue(lines.Select(l => InvoiceJson.Write(l.Taxes)).ToArray());
            TextArray(command, lines.Select(l => l.InvoiceItemId));
            command.Parameters.AddWithValue(lines.Select(l => l.Proration).ToArray());
            TextArray(command, lines.Select(l => l.PlanId));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    internal static void Text(NpgsqlCommand command, string? value) =>
        command.Parameters.AddWithValue((object?)value ?? DBNull.Value).NpgsqlDbType = NpgsqlDbType.Text;

    internal static void TextArray(NpgsqlCommand command, IEnumerable<string?> values) =>
        command.Parameters.Add(new NpgsqlParameter { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });

    private static object Nullable(DateTimeOffset? time) => time is { } t ? t.UtcDateTime : DBNull.Value;
}

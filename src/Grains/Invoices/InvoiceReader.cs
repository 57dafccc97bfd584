using Npgsql;
using Platform.Grains.Common;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Invoices;
using Platform.Grains.Interfaces.Plans;

namespace Platform.Grains.Invoices;

/// <summary>Reads invoices and their lines from <c>invoices</c>/<c>invoice_lines</c> (0600_invoices.sql): the grain's load and the lists.</summary>
public sealed class InvoiceReader(NpgsqlDataSource dataSource)
{
    private const string Columns =
        """
        tenant_id, id, customer_id, subscription_id, plan_id, status, number, number_seq, period_start, period_end,
        subtotal, amount_paid, amount_remaining, attempt_count, next_payment_attempt, due_date, collection_method,
        days_until_due, trial, pricing::text, finalizes_at, finalized_at, paid_at, voided_at, marked_uncollectible_at,
        created, metadata::text, payment_intent_id, payment_attempts, collection_started, outbox::text,
        description, total_discount, tax, total_excluding_tax, total, credits_applied, starting_balance, ending_balance, amount_due,
        pre_payment_credit_notes_amount, post_payment_credit_notes_amount, adjustments::text,
        managed_by, stripe_invoice_id, stripe_event_created, stripe_event_rank, stripe_event_id
        """;

    public async Task<InvoiceRecord?> LoadAsync(string tenantId, string invoiceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await LoadAsync(connection, null, tenantId, invoiceId, cancellationToken);
    }

    public static async Task<InvoiceRecord?> LoadAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string tenantId, string invoiceId, CancellationToken cancellationToken)
    {
        InvoiceRecord? record;
        await using (var command = new NpgsqlCommand($"SELECT {Columns} FROM invoices WHERE tenant_id = $1 AND id = $2", connection, transaction))
        {
            command.Parameters.AddWithValue(tenantId);
            command.Parameters.AddWithValue(invoiceId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            record = await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
        }
        if (record is not null)
        {
            var lines = await LinesAsync(connection, transaction, tenantId, [invoiceId], cancellationToken);
            record.Lines = lines.GetValueOrDefault(invoiceId) ?? [];
        }
        return record;
    }

    /// <summary>
    /// A customer's invoices still moving (draft, or open with something left to pay), oldest period first: what a
    /// test clock's advance and a new default payment method act on.
    /// </summary>
    public async Task<IReadOnlyList<string>> UnsettledAsync(string tenantId, string customerId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT id FROM invoices
            WHERE tenant_id = $1 AND customer_id = $2 AND managed_by = 'platform' AND (status = 'draft' OR (status IN ('open', 'uncollectible') AND amount_remaining > 0))
            ORDER BY period_start
            """);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(customerId);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }
        return ids;
    }

    /// <summary>Newest first after the cursor (an invoice id of this tenant); one more row than the limit tells has_more.</summary>
    public async Task<Page<InvoiceSnapshot>> ListAsync(string tenantId, InvoiceQuery query, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var records = new List<InvoiceRecord>();
        await using (var command = new NpgsqlCommand(
            $"""
            SELECT {Columns} FROM invoices
            WHERE tenant_id = $1
              AND ($2::text IS NULL OR customer_id = $2)
              AND ($3::text IS NULL OR subscription_id = $3)
              AND ($4::text IS NULL OR status = $4)
              AND ($5::text IS NULL OR seq < (SELECT seq FROM invoices WHERE tenant_id = $1 AND id = $5))
            ORDER BY seq DESC
            LIMIT $6
            """, connection))
        {
            command.Parameters.AddWithValue(tenantId);
            command.Parameters.AddWithValue((object?)query.CustomerId ?? DBNull.Value).NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text;
            command.Parameters.AddWithValue((object?)query.SubscriptionId ?? DBNull.Value).NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text;
            command.Parameters.AddWithValue((object?)query.Status ?? DBNull.Value).NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text;
            command.Parameters.AddWithValue((object?)query.Page.StartingAfter ?? DBNull.Value).NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text;
            command.Parameters.AddWithValue(query.Page.Limit + 1);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                records.Add(Read(reader));
            }
        }
        var hasMore = records.Count > query.Page.Limit;
        if (hasMore)
        {
            records.RemoveAt(records.Count - 1);
        }
        if (records.Count == 0)
        {
            await PageReader.RequireKnownCursorAsync(dataSource, query.Page.StartingAfter,
                "SELECT EXISTS (SELECT 1 FROM invoices WHERE tenant_id = $1 AND id = $2)", [tenantId, query.Page.StartingAfter!], cancellationToken);
        }
        var lines = await LinesAsync(connection, null, tenantId, records.Select(r => r.Id).ToArray(), cancellationToken);
        foreach (var record in records)
        {
            record.Lines = lines.GetValueOrDefault(record.Id) ?? [];
        }
        return new Page<InvoiceSnapshot>(records.Select(r => r.ToSnapshot()).ToArray(), hasMore);
    }

    private static async Task<Dictionary<string, IReadOnlyList<InvoiceLineItem>>> LinesAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string tenantId, string[] invoiceIds, CancellationToken cancellationToken)
    {
        var lines = new Dictionary<string, List<InvoiceLineItem>>(StringComparer.Ordinal);
        if (invoiceIds.Length == 0)
        {
            return [];
        }
        await using var command = new NpgsqlCommand(
            """
            SELECT invoice_id, id, type, description, metric, quantity, amount, pricing_model, tiers::text, period_start, period_end,
              discount_amount, tax_amounts::text, invoice_item_id, proration, plan_id
            FROM invoice_lines WHERE tenant_id = $1 AND invoice_id = ANY($2) ORDER BY invoice_id, position
            """, connection, transaction);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(invoiceIds);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var invoiceId = reader.GetString(0);
            if (!lines.TryGetValue(invoiceId, out var list))
            {
                lines[invoiceId] = list = [];
            }
            list.Add(new InvoiceLineItem(reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetDecimal(5), reader.GetInt64(6),
                reader.IsDBNull(7) ? null : (PricingModel)reader.GetInt16(7), InvoiceJson.Tiers(reader.GetString(8)),
                reader.GetFieldValue<DateTimeOffset>(9), reader.GetFieldValue<DateTimeOffset>(10), reader.GetInt64(11),
                InvoiceJson.Read<List<InvoiceLineTax>>(reader.GetString(12)), reader.IsDBNull(13) ? null : reader.GetString(13), reader.GetBoolean(14),
                reader.IsDBNull(15) ? null : reader.GetString(15)));
        }
        return lines.ToDictionary(l => l.Key, l => (IReadOnlyList<InvoiceLineItem>)l.Value, StringComparer.Ordinal);
    }

    private const string CreditNoteColumns =
        "id, number, invoice_id, customer_id, amount, currency, pre_payment_amount, refund_amount, credit_amount, refund_id, reason, memo, status, created, voided_at, metadata::text, lines::text";

    /// <summary>An invoice's credit notes, oldest first.</summary>
    public async Task<IReadOnlyList<CreditNoteSnapshot>> CreditNotesAsync(string tenantId, string invoiceId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {CreditNoteColumns} FROM credit_notes WHERE tenant_id = $1 AND invoice_id = $2 ORDER BY seq");
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(invoiceId);
        var notes = new List<CreditNoteSnapshot>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            notes.Add(ReadCreditNote(reader));
        }
        return notes;
    }

    /// <summary>A tenant's credit notes newest first, of one invoice or customer if asked; an unknown cursor is refused.</summary>
    public async Task<Page<CreditNoteSnapshot>> CreditNotesPageAsync(
        string tenantId, string? invoiceId, string? customerId, PageRequest page, CancellationToken cancellationToken = default)
    {
        if (page.StartingAfter is { } cursor && await CreditNoteAsync(tenantId, cursor, cancellationToken) is null)
        {
            throw UnknownCursor.Of();
        }
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT {CreditNoteColumns} FROM credit_notes
            WHERE tenant_id = $1 AND ($2::text IS NULL OR invoice_id = $2) AND ($3::text IS NULL OR customer_id = $3)
              AND ($4::text IS NULL OR seq < (SELECT seq FROM credit_notes WHERE tenant_id = $1 AND id = $4))
            ORDER BY seq DESC LIMIT {page.Limit + 1}
            """);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue((object?)invoiceId ?? DBNull.Value).NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text;
        command.Parameters.AddWithValue((object?)customerId ?? DBNull.Value).NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text;
        command.Parameters.AddWithValue((object?)page.StartingAfter ?? DBNull.Value).NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text;
        var notes = new List<CreditNoteSnapshot>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            notes.Add(ReadCreditNote(reader));
        }
        return new Page<CreditNoteSnapshot>(notes.Take(page.Limit).ToArray(), notes.Count > page.Limit);
    }

    public async Task<CreditNoteSnapshot?> CreditNoteAsync(string tenantId, string creditNoteId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {CreditNoteColumns} FROM credit_notes WHERE tenant_id = $1 AND id = $2");
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(creditNoteId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadCreditNote(reader) : null;
    }

    private static CreditNoteSnapshot ReadCreditNote(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt64(4), r.GetString(5), r.GetInt64(6), r.GetInt64(7), r.GetInt64(8),
        r.IsDBNull(9) ? null : r.GetString(9), r.IsDBNull(10) ? null : r.GetString(10), r.IsDBNull(11) ? null : r.GetString(11), r.GetString(12),
        r.GetFieldValue<DateTimeOffset>(13), Time(r, 14), InvoiceJson.Read<Dictionary<string, string>>(r.GetString(15)),
        InvoiceJson.Read<List<CreditNoteLine>>(r.GetString(16)));

    private static InvoiceRecord Read(NpgsqlDataReader r) => new()
    {
        TenantId = r.GetString(0),
        Id = r.GetString(1),
        CustomerId = r.GetString(2),
        SubscriptionId = r.IsDBNull(3) ? null : r.GetString(3),
        PlanId = r.IsDBNull(4) ? null : r.GetString(4),
        Status = r.GetString(5),
        Number = r.IsDBNull(6) ? null : r.GetString(6),
        NumberSeq = r.IsDBNull(7) ? null : r.GetInt64(7),
        PeriodStart = r.GetFieldValue<DateTimeOffset>(8),
        PeriodEnd = r.GetFieldValue<DateTimeOffset>(9),
        Subtotal = r.GetInt64(10),
        AmountPaid = r.GetInt64(11),
        AmountRemaining = r.GetInt64(12),
        AttemptCount = r.GetInt32(13),
        NextPaymentAttempt = Time(r, 14),
        DueDate = Time(r, 15),
        CollectionMethod = r.GetString(16),
        DaysUntilDue = r.IsDBNull(17) ? null : r.GetInt32(17),
        Trial = r.GetBoolean(18),
        Pricing = InvoiceJson.Read<InvoicePricing>(r.GetString(19)),
        FinalizesAt = Time(r, 20),
        FinalizedAt = Time(r, 21),
        PaidAt = Time(r, 22),
        VoidedAt = Time(r, 23),
        MarkedUncollectibleAt = Time(r, 24),
        Created = r.GetFieldValue<DateTimeOffset>(25),
        Metadata = InvoiceJson.Read<Dictionary<string, string>>(r.GetString(26)),
        PaymentIntentId = r.IsDBNull(27) ? null : r.GetString(27),
        PaymentAttempts = [.. r.GetFieldValue<string[]>(28)],
        CollectionStarted = r.GetBoolean(29),
        Outbox = InvoiceJson.Read<List<InvoiceOutboxItem>>(r.GetString(30)),
        Description = r.IsDBNull(31) ? null : r.GetString(31),
        TotalDiscount = r.GetInt64(32),
        Tax = r.GetInt64(33),
        TotalExcludingTax = r.GetInt64(34),
        Total = r.GetInt64(35),
        CreditsApplied = r.GetInt64(36),
        StartingBalance = r.GetInt64(37),
        EndingBalance = r.IsDBNull(38) ? null : r.GetInt64(38),
        AmountDue = r.GetInt64(39),
        PrePaymentCreditNotes = r.GetInt64(40),
        PostPaymentCreditNotes = r.GetInt64(41),
        Terms = InvoiceJson.Read<InvoiceTerms>(r.GetString(42)),
        ManagedBy = r.GetString(43),
        StripeInvoiceId = r.IsDBNull(44) ? null : r.GetString(44),
        StripeVersion = r.IsDBNull(45) ? null : new Subscriptions.StripeEventVersion(r.GetInt64(45), r.GetInt32(46), r.GetString(47)),
    };

    private static DateTimeOffset? Time(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);
}

using Npgsql;
using NpgsqlTypes;
using Platform.Grains.Interfaces.Adjustments;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Invoices;
using Platform.Grains.Invoices;

namespace Platform.Grains.Adjustments;

/// <summary>
/// Coupons, tax rates, invoice items, balance ledgers and credit grants in PostgreSQL (0610_invoice_adjustments.sql).
/// Lists are newest first by <c>seq</c>; an unknown <c>starting_after</c> is refused (UnknownCursor).
/// </summary>
public sealed class AdjustmentStore(NpgsqlDataSource dataSource)
{
    public const string ItemColumns =
        "id, customer_id, subscription_id, plan_id, amount, currency, description, proration, period_start, period_end, tax_rates::text, metadata::text, invoice_id, created";

    private const string CouponColumns =
        "id, name, percent_off, amount_off, currency, duration, duration_in_months, max_redemptions, redeem_by, applies_to, metadata::text, times_redeemed, deleted, created";

    private const string TaxRateColumns = "id, display_name, percentage, inclusive, jurisdiction, country, active, created, is_default";

    private const string GrantColumns =
        "id, customer_id, name, amount, currency, applies_to, priority, category, expires_at, metadata::text, remaining, effective_at, voided_at, invoice_id, created";

    private const string BalanceColumns = "id, customer_id, amount, currency, ending_balance, type, invoice_id, credit_note_id, description, created";

    // Coupons

    public async Task<CouponSnapshot> InsertCouponAsync(string tenantId, CouponDraft d, DateTimeOffset now)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            INSERT INTO coupons (tenant_id, id, name, percent_off, amount_off, currency, duration, duration_in_months, max_redemptions, redeem_by, applies_to, metadata, created)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13) RETURNING {CouponColumns}
            """);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(PlatformIds.NewCouponId());
        Add(command, d.Name);
        command.Parameters.AddWithValue((object?)d.PercentOff ?? DBNull.Value).NpgsqlDbType = NpgsqlDbType.Numeric;
        command.Parameters.AddWithValue((object?)d.AmountOff ?? DBNull.Value).NpgsqlDbType = NpgsqlDbType.Bigint;
        Add(command, d.Currency);
        command.Parameters.AddWithValue(d.Duration);
        command.Parameters.AddWithValue((object?)d.DurationInMonths ?? DBNull.Value).NpgsqlDbType = NpgsqlDbType.Integer;
        command.Parameters.AddWithValue((object?)d.MaxRedemptions ?? DBNull.Value).NpgsqlDbType = NpgsqlDbType.Integer;
        command.Parameters.AddWithValue(Time(d.RedeemBy)).NpgsqlDbType = NpgsqlDbType.TimestampTz;
        command.Parameters.AddWithValue(d.AppliesToPlans.ToArray());
        command.Parameters.AddWithValue(InvoiceJson.Write(d.Metadata));
        command.Parameters.AddWithValue(now.UtcDateTime);
        return (await ReadOneAsync(command, r => ReadCoupon(r, now)))!;
    }

    public async Task<CouponSnapshot?> CouponAsync(string tenantId, string id, DateTimeOffset now)
    {
        await using var command = dataSource.CreateCommand($"SELECT {CouponColumns} FROM coupons WHERE tenant_id = $1 AND id = $2");
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(id);
        return await ReadOneAsync(command, r => ReadCoupon(r, now));
    }

    public Task<Page<CouponSnapshot>> CouponsAsync(string tenantId, PageRequest page, DateTimeOffset now) =>
        PageAsync("coupons", CouponColumns, "deleted = false", [], tenantId, page, r => ReadCoupon(r, now));

    public async Task<CouponSnapshot?> DeleteCouponAsync(string tenantId, string id, DateTimeOffset now)
    {
        await using var command = dataSource.CreateCommand($"UPDATE coupons SET deleted = true WHERE tenant_id = $1 AND id = $2 RETURNING {CouponColumns}");
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(id);
        return await ReadOneAsync(command, r => ReadCoupon(r, now));
    }

    /// <summary>Counts one redemption when the coupon is still valid at <paramref name="now"/>: the count never passes max_redemptions.</summary>
    public async Task<CouponSnapshot?> RedeemAsync(string tenantId, string id, DateTimeOffset now)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            UPDATE coupons SET times_redeemed = times_redeemed + 1
            WHERE tenant_id = $1 AND id = $2 AND NOT deleted AND (redeem_by IS NULL OR redeem_by > $3)
              AND (max_redemptions IS NULL OR times_redeemed < max_redemptions)
            RETURNING {CouponColumns}
            """);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue(now.UtcDateTime);
        return await ReadOneAsync(command, r => ReadCoupon(r, now));
    }

    // Tax rates

    public async Task<TaxRateSnapshot> InsertTaxRateAsync(string tenantId, TaxRateDraft d, DateTimeOffset now)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            INSERT INTO tax_rates (tenant_id, id, display_name, percentage, inclusive, jurisdiction, country, is_default, created)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING {TaxRateColumns}
            """);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(PlatformIds.NewTaxRateId());
        command.Parameters.AddWithValue(d.DisplayName);
        command.Parameters.AddWithValue(d.Percentage);
        command.Parameters.AddWithValue(d.Inclusive);
        Add(command, d.Jurisdiction);
        Add(command, d.Country);
        command.Parameters.AddWithValue(d.IsDefault);
        command.Parameters.AddWithValue(now.UtcDateTime);
        return (await ReadOneAsync(command, ReadTaxRate))!;
    }

    public async Task<IReadOnlyList<TaxRateSnapshot>> TaxRatesAsync(string tenantId, IReadOnlyList<string> ids, bool defaults)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {TaxRateColumns} FROM tax_rates WHERE tenant_id = $1 AND (id = ANY($2) OR ($3 AND is_default AND active)) ORDER BY seq");
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(ids.ToArray());
        command.Parameters.AddWithValue(defaults);
        return await ReadAllAsync(command, ReadTaxRate);
    }

    public Task<Page<TaxRateSnapshot>> TaxRatesPageAsync(string tenantId, PageRequest page) =>
        PageAsync("tax_rates", TaxRateColumns, "true", [], tenantId, page, ReadTaxRate);

    public async Task<TaxRateSnapshot?> UpdateTaxRateAsync(string tenantId, string id, bool? active, bool? isDefault)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            UPDATE tax_rates SET active = coalesce($3, active), is_default = coalesce($4, is_default) AND coalesce($3, active)
            WHERE tenant_id = $1 AND id = $2 RETURNING {TaxRateColumns}
            """);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue((object?)active ?? DBNull.Value).NpgsqlDbType = NpgsqlDbType.Boolean;
        command.Parameters.AddWithValue((object?)isDefault ?? DBNull.Value).NpgsqlDbType = NpgsqlDbType.Boolean;
        return await ReadOneAsync(command, ReadTaxRate);
    }

    // Invoice items

    /// <summary>Inserts the item (idempotent by id: a proration replayed writes nothing twice); the customer's currency is checked, and fixed when new.</summary>
    public async Task<InvoiceItemSnapshot> InsertItemAsync(string tenantId, InvoiceItemDraft d, IReadOnlyList<TaxRateSnapshot> rates, DateTimeOffset now)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var billing = await CustomerLedger.LockAsync(connection, transaction, tenantId, d.CustomerId, default);
        await CustomerLedger.FixCurrencyAsync(connection, transaction, billing, d.Currency, default);
        var id = d.Id ?? PlatformIds.NewInvoiceItemId();
        await using (var insert = new NpgsqlCommand(
            """
            INSERT INTO invoice_items (tenant_id, id, customer_id, subscription_id, plan_id, amount, currency, description, proration, period_start, period_end,
              tax_rates, metadata, created)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13::jsonb, $14) ON CONFLICT DO NOTHING
            """, connection, transaction))
        {
            insert.Parameters.AddWithValue(tenantId);
            insert.Parameters.AddWithValue(id);
            insert.Parameters.AddWithValue(d.CustomerId);
            Add(insert, d.SubscriptionId);
            Add(insert, d.PlanId);
            insert.Parameters.AddWithValue(d.Amount);
            insert.Parameters.AddWithValue(d.Currency);
            insert.Parameters.AddWithValue(d.Description);
            insert.Parameters.AddWithValue(d.Proration);
            insert.Parameters.AddWithValue((d.PeriodStart ?? now).UtcDateTime);
            insert.Parameters.AddWithValue((d.PeriodEnd ?? d.PeriodStart ?? now).UtcDateTime);
            insert.Parameters.AddWithValue(InvoiceJson.Write(rates));
            insert.Parameters.AddWithValue(InvoiceJson.Write(d.Metadata));
            insert.Parameters.AddWithValue(now.UtcDateTime);
            await insert.ExecuteNonQueryAsync();
        }
        var item = await ItemAsync(connection, transaction, tenantId, id);
        await transaction.CommitAsync();
        return item!;
    }

    public async Task<InvoiceItemSnapshot?> ItemAsync(string tenantId, string id)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await ItemAsync(connection, null, tenantId, id);
    }

    private static async Task<InvoiceItemSnapshot?> ItemAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string tenantId, string id)
    {
        await using var command = new NpgsqlCommand($"SELECT {ItemColumns} FROM invoice_items WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL", connection, transaction);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(id);
        return await ReadOneAsync(command, ReadItem);
    }

    public Task<Page<InvoiceItemSnapshot>> ItemsAsync(string tenantId, string? customerId, bool? pending, PageRequest page) =>
        PageAsync("invoice_items", ItemColumns,
            "deleted_at IS NULL AND ($3::text IS NULL OR customer_id = $3) AND ($4::boolean IS NULL OR (invoice_id IS NULL) = $4)",
            [Text(customerId), new NpgsqlParameter { Value = (object?)pending ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Boolean }],
            tenantId, page, ReadItem);

    /// <summary>Deletes a pending item; null when there is none; <c>invoice_item_not_pending</c> when an invoice has taken it.</summary>
    public async Task<InvoiceItemSnapshot?> DeleteItemAsync(string tenantId, string id, DateTimeOffset now)
    {
        await using var command = dataSource.CreateCommand(
            $"UPDATE invoice_items SET deleted_at = $3 WHERE tenant_id = $1 AND id = $2 AND invoice_id IS NULL AND deleted_at IS NULL RETURNING {ItemColumns}");
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue(now.UtcDateTime);
        if (await ReadOneAsync(command, ReadItem) is { } deleted)
        {
            return deleted;
        }
        if (await ItemAsync(tenantId, id) is { InvoiceId: not null })
        {
            throw new PlatformException(PlatformErrorKind.Conflict, InvoiceErrorCodes.InvoiceItemNotPending,
                "This invoice item is on an invoice already; correct a finalized invoice with a credit note.", "id");
        }
        return null;
    }

    // Balance and grants

    public async Task<CustomerBillingSnapshot> BillingAsync(string tenantId, string customerId)
    {
        await using var command = dataSource.CreateCommand("SELECT currency, balance, tax_exempt FROM customer_billing WHERE tenant_id = $1 AND customer_id = $2");
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(customerId);
        return await ReadOneAsync(command, r => new CustomerBillingSnapshot(customerId, r.IsDBNull(0) ? null : r.GetString(0), r.GetInt64(1), r.GetString(2)))
               ?? new CustomerBillingSnapshot(customerId, null, 0, TaxExemptions.None);
    }

    public async Task<CustomerBillingSnapshot> SetTaxExemptAsync(string tenantId, string customerId, string taxExempt)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO customer_billing (tenant_id, customer_id, tax_exempt) VALUES ($1, $2, $3)
            ON CONFLICT (tenant_id, customer_id) DO UPDATE SET tax_exempt = $3, updated_at = now()
            """);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(customerId);
        command.Parameters.AddWithValue(taxExempt);
        await command.ExecuteNonQueryAsync();
        return await BillingAsync(tenantId, customerId);
    }

    public async Task<BalanceTransactionSnapshot> AdjustBalanceAsync(string tenantId, string customerId, long amount, string currency, string? description, DateTimeOffset now)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var billing = await CustomerLedger.LockAsync(connection, transaction, tenantId, customerId, default);
        await CustomerLedger.FixCurrencyAsync(connection, transaction, billing, currency, default);
        var entry = await CustomerLedger.AppendAsync(connection, transaction, billing, amount, BalanceTransactionTypes.Adjustment, null, null, description, now, default);
        await transaction.CommitAsync();
        return entry!;
    }

    public Task<Page<BalanceTransactionSnapshot>> BalanceTransactionsAsync(string tenantId, string customerId, PageRequest page) =>
        PageAsync("customer_balance_transactions", BalanceColumns, "customer_id = $3", [Text(customerId)], tenantId, page, ReadBalance);

    public async Task<CreditGrantSnapshot> InsertGrantAsync(string tenantId, CreditGrantDraft d, DateTimeOffset now)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var billing = await CustomerLedger.LockAsync(connection, transaction, tenantId, d.CustomerId, default);
        await CustomerLedger.FixCurrencyAsync(connection, transaction, billing, d.Currency, default);
        await using var insert = new NpgsqlCommand(
            $"""
            INSERT INTO credit_grants (tenant_id, id, customer_id, name, amount, remaining, currency, applies_to, priority, category, expires_at, effective_at, metadata, created)
            VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13) RETURNING {GrantColumns}
            """, connection, transaction);
        insert.Parameters.AddWithValue(tenantId);
        insert.Parameters.AddWithValue(PlatformIds.NewCreditGrantId());
        insert.Parameters.AddWithValue(d.CustomerId);
        Add(insert, d.Name);
        insert.Parameters.AddWithValue(d.Amount);
        insert.Parameters.AddWithValue(d.Currency);
        insert.Parameters.AddWithValue(d.AppliesTo);
        insert.Parameters.AddWithValue(d.Priority);
        insert.Parameters.AddWithValue(d.Category);
        insert.Parameters.AddWithValue(Time(d.ExpiresAt)).NpgsqlDbType = NpgsqlDbType.TimestampTz;
        // A bought grant takes effect when the invoice that sells it is paid; a promotional one at once.
        insert.Parameters.AddWithValue(d.Category == CreditGrantCategories.Promotional ? now.UtcDateTime : DBNull.Value).NpgsqlDbType = NpgsqlDbType.TimestampTz;
        insert.Parameters.AddWithValue(InvoiceJson.Write(d.Metadata));
        insert.Parameters.AddWithValue(now.UtcDateTime);
        var grant = await ReadOneAsync(insert, ReadGrant);
        await transaction.CommitAsync();
        return grant!;
    }

    public async Task<CreditGrantSnapshot?> GrantAsync(string tenantId, string id)
    {
        await using var command = dataSource.CreateCommand($"SELECT {GrantColumns} FROM credit_grants WHERE tenant_id = $1 AND id = $2");
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(id);
        return await ReadOneAsync(command, ReadGrant);
    }

    public Task<Page<CreditGrantSnapshot>> GrantsAsync(string tenantId, string? customerId, PageRequest page) =>
        PageAsync("credit_grants", GrantColumns, "($3::text IS NULL OR customer_id = $3)", [Text(customerId)], tenantId, page, ReadGrant);

    public async Task<CreditGrantSnapshot?> VoidGrantAsync(string tenantId, string id, DateTimeOffset now)
    {
        await using var command = dataSource.CreateCommand(
            $"UPDATE credit_grants SET voided_at = coalesce(voided_at, $3) WHERE tenant_id = $1 AND id = $2 RETURNING {GrantColumns}");
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue(now.UtcDateTime);
        return await ReadOneAsync(command, ReadGrant);
    }

    /// <summary>Links a bought grant to the invoice that sells it.</summary>
    public async Task LinkGrantInvoiceAsync(string tenantId, string grantId, string invoiceId)
    {
        await using var command = dataSource.CreateCommand("UPDATE credit_grants SET invoice_id = $3 WHERE tenant_id = $1 AND id = $2");
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(grantId);
        command.Parameters.AddWithValue(invoiceId);
        await command.ExecuteNonQueryAsync();
    }

    // Reading

    internal static InvoiceItemSnapshot ReadItem(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), Str(r, 2), Str(r, 3), r.GetInt64(4), r.GetString(5), r.GetString(6), r.GetBoolean(7),
        r.GetFieldValue<DateTimeOffset>(8), r.GetFieldValue<DateTimeOffset>(9), InvoiceJson.Read<List<TaxRateSnapshot>>(r.GetString(10)),
        InvoiceJson.Read<Dictionary<string, string>>(r.GetString(11)), Str(r, 12), r.GetFieldValue<DateTimeOffset>(13));

    private static CouponSnapshot ReadCoupon(NpgsqlDataReader r, DateTimeOffset now)
    {
        var terms = new CouponDraft(Str(r, 1), r.IsDBNull(2) ? null : r.GetDecimal(2), r.IsDBNull(3) ? null : r.GetInt64(3), Str(r, 4), r.GetString(5),
            r.IsDBNull(6) ? null : r.GetInt32(6), r.IsDBNull(7) ? null : r.GetInt32(7), TimeOf(r, 8), r.GetFieldValue<string[]>(9),
            InvoiceJson.Read<Dictionary<string, string>>(r.GetString(10)));
        var redeemed = r.GetInt32(11);
        var valid = !r.GetBoolean(12) && (terms.RedeemBy is null || terms.RedeemBy > now) && (terms.MaxRedemptions is null || redeemed < terms.MaxRedemptions);
        return new CouponSnapshot(r.GetString(0), terms, redeemed, valid, r.GetFieldValue<DateTimeOffset>(13));
    }

    private static TaxRateSnapshot ReadTaxRate(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetDecimal(2), r.GetBoolean(3), Str(r, 4), Str(r, 5), r.GetBoolean(6), r.GetFieldValue<DateTimeOffset>(7), r.GetBoolean(8));

    private static CreditGrantSnapshot ReadGrant(NpgsqlDataReader r) => new(
        r.GetString(0),
        new CreditGrantDraft(r.GetString(1), Str(r, 2), r.GetInt64(3), r.GetString(4), r.GetString(5), r.GetInt32(6), r.GetString(7), TimeOf(r, 8),
            InvoiceJson.Read<Dictionary<string, string>>(r.GetString(9))),
        r.GetInt64(10), TimeOf(r, 11), TimeOf(r, 12), Str(r, 13), r.GetFieldValue<DateTimeOffset>(14));

    private static BalanceTransactionSnapshot ReadBalance(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetString(3), r.GetInt64(4), r.GetString(5), Str(r, 6), Str(r, 7), Str(r, 8),
        r.GetFieldValue<DateTimeOffset>(9));

    private async Task<Page<T>> PageAsync<T>(
        string table, string columns, string filter, NpgsqlParameter[] filterParameters, string tenantId, PageRequest page, Func<NpgsqlDataReader, T> read)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        if (page.StartingAfter is { } cursor)
        {
            await using var exists = new NpgsqlCommand($"SELECT 1 FROM {table} WHERE tenant_id = $1 AND id = $2", connection);
            exists.Parameters.AddWithValue(tenantId);
            exists.Parameters.AddWithValue(cursor);
            if (await exists.ExecuteScalarAsync() is null)
            {
                throw UnknownCursor.Of();
            }
        }
        await using var command = new NpgsqlCommand(
            $"""
            SELECT {columns} FROM {table}
            WHERE tenant_id = $1 AND ($2::text IS NULL OR seq < (SELECT seq FROM {table} WHERE tenant_id = $1 AND id = $2)) AND {filter}
            ORDER BY seq DESC LIMIT {page.Limit + 1}
            """, connection);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue((object?)page.StartingAfter ?? DBNull.Value).NpgsqlDbType = NpgsqlDbType.Text;
        command.Parameters.AddRange(filterParameters);
        var items = await ReadAllAsync(command, read);
        return new Page<T>(items.Take(page.Limit).ToArray(), items.Count > page.Limit);
    }

    private static async Task<T?> ReadOneAsync<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> read) where T : class
    {
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? read(reader) : null;
    }

    private static async Task<List<T>> ReadAllAsync<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> read)
    {
        var items = new List<T>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            items.Add(read(reader));
        }
        return items;
    }

    private static void Add(NpgsqlCommand command, string? value) =>
        command.Parameters.AddWithValue((object?)value ?? DBNull.Value).NpgsqlDbType = NpgsqlDbType.Text;

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private static object Time(DateTimeOffset? time) => time is { } t ? t.UtcDateTime : DBNull.Value;

    private static string? Str(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static DateTimeOffset? TimeOf(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetFieldValue<DateTimeOffset>(i);
}

using Npgsql;
using NpgsqlTypes;
using Platform.Grains.Interfaces.Adjustments;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Invoices;
using Platform.Grains.Invoices;

namespace Platform.Grains.Adjustments;

/// <summary>A customer's billing row as locked for a change (see <see cref="CustomerLedger.LockAsync"/>).</summary>
public sealed class LockedBilling
{
    public required string TenantId { get; init; }
    public required string CustomerId { get; init; }
    public string? Currency { get; set; }
    public long Balance { get; set; }
    public long Seq { get; set; }
    public required string TaxExempt { get; init; }

    public CustomerBillingSnapshot ToSnapshot() => new(CustomerId, Currency, Balance, TaxExempt);
}

/// <summary>
/// The customer's billing row and balance ledger, written only inside a caller's transaction after <see cref="LockAsync"/>:
/// the row lock orders every change of one customer's balance, grants and currency (an invoice's finalization, a credit
/// note, an adjustment), so the ledger's running balance is exact under any concurrency.
/// </summary>
public static class CustomerLedger
{
    public static async Task<LockedBilling> LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string tenantId, string customerId, CancellationToken cancellationToken)
    {
        await using (var insert = new NpgsqlCommand("INSERT INTO customer_billing (tenant_id, customer_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", connection, transaction))
        {
            insert.Parameters.AddWithValue(tenantId);
            insert.Parameters.AddWithValue(customerId);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var select = new NpgsqlCommand(
            "SELECT currency, balance, balance_seq, tax_exempt FROM customer_billing WHERE tenant_id = $1 AND customer_id = $2 FOR UPDATE", connection, transaction);
        select.Parameters.AddWithValue(tenantId);
        select.Parameters.AddWithValue(customerId);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new LockedBilling
        {
            TenantId = tenantId, CustomerId = customerId, Currency = reader.IsDBNull(0) ? null : reader.GetString(0),
            Balance = reader.GetInt64(1), Seq = reader.GetInt64(2), TaxExempt = reader.GetString(3),
        };
    }

    /// <summary>Fixes the customer's currency at its first money entry; another currency after that is <c>currency_mismatch</c>.</summary>
    public static async Task FixCurrencyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, LockedBilling billing, string currency, CancellationToken cancellationToken)
    {
        if (billing.Currency == currency)
        {
            return;
        }
        if (billing.Currency is not null)
        {
            throw Mismatch(billing.Currency, currency);
        }
        await using var update = new NpgsqlCommand("UPDATE customer_billing SET currency = $3, updated_at = now() WHERE tenant_id = $1 AND customer_id = $2", connection, transaction);
        update.Parameters.AddWithValue(billing.TenantId);
        update.Parameters.AddWithValue(billing.CustomerId);
        update.Parameters.AddWithValue(currency);
        await update.ExecuteNonQueryAsync(cancellationToken);
        billing.Currency = currency;
    }

    public static PlatformException Mismatch(string customerCurrency, string currency) => new(PlatformErrorKind.InvalidRequest, InvoiceErrorCodes.CurrencyMismatch,
        $"The customer is billed in {customerCurrency.ToUpperInvariant()} (fixed by its first invoice); {currency.ToUpperInvariant()} cannot be used for it.", "currency");

    /// <summary>Appends one ledger entry (ending balance = balance + amount) and moves the balance; nothing for a zero amount.</summary>
    public static async Task<BalanceTransactionSnapshot?> AppendAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, LockedBilling billing, long amount, string type, string? invoiceId, string? creditNoteId,
        string? description, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (amount == 0)
        {
            return null;
        }
        var entry = new BalanceTransactionSnapshot(PlatformIds.NewBalanceTransactionId(), billing.CustomerId, amount, billing.Currency!, billing.Balance + amount,
            type, invoiceId, creditNoteId, description, now);
        await using (var insert = new NpgsqlCommand(
            """
            INSERT INTO customer_balance_transactions (tenant_id, id, customer_id, seq, amount, currency, ending_balance, type, invoice_id, credit_note_id, description, created)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            """, connection, transaction))
        {
            insert.Parameters.AddWithValue(billing.TenantId);
            insert.Parameters.AddWithValue(entry.Id);
            insert.Parameters.AddWithValue(billing.CustomerId);
            insert.Parameters.AddWithValue(billing.Seq + 1);
            insert.Parameters.AddWithValue(amount);
            insert.Parameters.AddWithValue(entry.Currency);
            insert.Parameters.AddWithValue(entry.EndingBalance);
            insert.Parameters.AddWithValue(type);
            insert.Parameters.AddWithValue((object?)invoiceId ?? DBNull.Value).NpgsqlDbType = NpgsqlDbType.Text;
            insert.Parameters.AddWithValue((object?)creditNoteId ?? DBNull.Value).NpgsqlDbType = NpgsqlDbType.Text;
            insert.Parameters.AddWithValue((object?)description ?? DBNull.Value).NpgsqlDbType = NpgsqlDbType.Text;
            insert.Parameters.AddWithValue(now.UtcDateTime);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var update = new NpgsqlCommand(
            "UPDATE customer_billing SET balance = $3, balance_seq = $4, updated_at = now() WHERE tenant_id = $1 AND customer_id = $2", connection, transaction))
        {
            update.Parameters.AddWithValue(billing.TenantId);
            update.Parameters.AddWithValue(billing.CustomerId);
            update.Parameters.AddWithValue(entry.EndingBalance);
            update.Parameters.AddWithValue(billing.Seq + 1);
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
        billing.Balance = entry.EndingBalance;
        billing.Seq++;
        return entry;
    }

    /// <summary>The customer's usable grants in the currency at <paramref name="now"/>: effective, not void, not expired, something left.</summary>
    public static async Task<IReadOnlyList<CreditGrantBalance>> UsableGrantsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string tenantId, string customerId, string currency, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT id, remaining, applies_to, priority, expires_at, created FROM credit_grants
            WHERE tenant_id = $1 AND customer_id = $2 AND currency = $3 AND remaining > 0 AND voided_at IS NULL
              AND effective_at IS NOT NULL AND effective_at <= $4 AND (expires_at IS NULL OR expires_at > $4)
            FOR UPDATE
            """, connection, transaction);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(customerId);
        command.Parameters.AddWithValue(currency);
        command.Parameters.AddWithValue(now.UtcDateTime);
        var grants = new List<CreditGrantBalance>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            grants.Add(new CreditGrantBalance(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetInt32(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4), reader.GetFieldValue<DateTimeOffset>(5)));
        }
        return grants;
    }

    /// <summary>Takes (or, with a negative amount, gives back) what an invoice spent of each grant.</summary>
    public static async Task SpendGrantsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string tenantId, IReadOnlyList<CreditGrantUse> uses, int sign, CancellationToken cancellationToken)
    {
        if (uses.Count == 0)
        {
            return;
        }
        await using var command = new NpgsqlCommand(
            """
            UPDATE credit_grants g SET remaining = g.remaining - u.amount
            FROM unnest($2::text[], $3::bigint[]) AS u(id, amount) WHERE g.tenant_id = $1 AND g.id = u.id
            """, connection, transaction);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(uses.Select(u => u.CreditGrantId).ToArray());
        command.Parameters.AddWithValue(uses.Select(u => sign * u.Amount).ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Attaches the customer's pending items in the currency to the invoice (a subscription's invoice takes its own
    /// subscription's items and the customer's one-off ones) and returns every item on it, oldest first.
    /// </summary>
    public static async Task<IReadOnlyList<InvoiceItemSnapshot>> ClaimItemsAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, InvoiceRecord invoice, bool claim, CancellationToken cancellationToken)
    {
        if (claim)
        {
            await using var update = new NpgsqlCommand(
                """
                UPDATE invoice_items SET invoice_id = $2
                WHERE tenant_id = $1 AND customer_id = $3 AND currency = $4 AND invoice_id IS NULL AND deleted_at IS NULL
                  AND ($5::text IS NULL OR subscription_id IS NULL OR subscription_id = $5)
                """, connection, transaction);
            update.Parameters.AddWithValue(invoice.TenantId);
            update.Parameters.AddWithValue(invoice.Id);
            update.Parameters.AddWithValue(invoice.CustomerId);
            update.Parameters.AddWithValue(invoice.Currency);
            update.Parameters.AddWithValue((object?)invoice.SubscriptionId ?? DBNull.Value).NpgsqlDbType = NpgsqlDbType.Text;
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var select = new NpgsqlCommand(
            $"""
            SELECT {AdjustmentStore.ItemColumns} FROM invoice_items
            WHERE tenant_id = $1 AND (invoice_id = $2 OR ($6 AND customer_id = $3 AND currency = $4 AND invoice_id IS NULL AND deleted_at IS NULL
              AND ($5::text IS NULL OR subscription_id IS NULL OR subscription_id = $5)))
            ORDER BY seq
            """, connection, transaction);
        select.Parameters.AddWithValue(invoice.TenantId);
        select.Parameters.AddWithValue(invoice.Id);
        select.Parameters.AddWithValue(invoice.CustomerId);
        select.Parameters.AddWithValue(invoice.Currency);
        select.Parameters.AddWithValue((object?)invoice.SubscriptionId ?? DBNull.Value).NpgsqlDbType = NpgsqlDbType.Text;
        select.Parameters.AddWithValue(!claim);
        var items = new List<InvoiceItemSnapshot>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(AdjustmentStore.ReadItem(reader));
        }
        return items;
    }
}

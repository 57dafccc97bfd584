namespace Platform.Grains.Interfaces.Adjustments;

/// <summary>The kinds of customer balance transactions (Stripe's <c>type</c>).</summary>
public static class BalanceTransactionTypes
{
    public const string Adjustment = "adjustment";
    public const string AppliedToInvoice = "applied_to_invoice";
    public const string UnappliedFromInvoice = "unapplied_from_invoice";
    public const string InvoiceTooSmall = "invoice_too_small";
    public const string CreditNote = "credit_note";
}

/// <summary>
/// One entry of a customer's balance ledger (<c>cbtxn_…</c>): <see cref="Amount"/> negative credits the customer,
/// positive debits; <see cref="EndingBalance"/> is the running balance after it (the previous entry's plus this amount).
/// </summary>
[GenerateSerializer, Immutable, Alias("platform.balance_transaction")]
public sealed record BalanceTransactionSnapshot(
    [property: Id(0)] string Id,
    [property: Id(1)] string CustomerId,
    [property: Id(2)] long Amount,
    [property: Id(3)] string Currency,
    [property: Id(4)] long EndingBalance,
    [property: Id(5)] string Type,
    [property: Id(6)] string? InvoiceId,
    [property: Id(7)] string? CreditNoteId,
    [property: Id(8)] string? Description,
    [property: Id(9)] DateTimeOffset Created);

/// <summary>A customer's billing: its currency (null until its first invoice or money entry), balance and tax status.</summary>
[GenerateSerializer, Immutable, Alias("platform.customer_billing")]
public sealed record CustomerBillingSnapshot(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] string? Currency,
    [property: Id(2)] long Balance,
    [property: Id(3)] string TaxExempt);

/// <summary>The kinds of credit grants: bought (<c>paid</c>) or given (<c>promotional</c>).</summary>
public static class CreditGrantCategories
{
    public const string Paid = "paid";
    public const string Promotional = "promotional";

    public static bool IsKnown(string? value) => value is Paid or Promotional;
}

/// <summary>A validated credit grant to create (prepaid credits, spent by invoices before the card is charged).</summary>
[GenerateSerializer, Immutable, Alias("platform.credit_grant_draft")]
public sealed record CreditGrantDraft(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] string? Name,
    [property: Id(2)] long Amount,
    [property: Id(3)] string Currency,
    [property: Id(4)] string AppliesTo,
    [property: Id(5)] int Priority,
    [property: Id(6)] string Category,
    [property: Id(7)] DateTimeOffset? ExpiresAt,
    [property: Id(8)] IReadOnlyDictionary<string, string> Metadata);

/// <summary>A credit grant (<c>credgr_…</c>): what is left of it, and whether it is usable (effective, not expired, not void).</summary>
[GenerateSerializer, Immutable, Alias("platform.credit_grant")]
public sealed record CreditGrantSnapshot(
    [property: Id(0)] string Id,
    [property: Id(1)] CreditGrantDraft Terms,
    [property: Id(2)] long Remaining,
    [property: Id(3)] DateTimeOffset? EffectiveAt,
    [property: Id(4)] DateTimeOffset? VoidedAt,
    [property: Id(5)] string? InvoiceId,
    [property: Id(6)] DateTimeOffset Created);

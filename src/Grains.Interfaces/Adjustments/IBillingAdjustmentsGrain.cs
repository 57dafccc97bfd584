using Platform.Grains.Interfaces.Common;

namespace Platform.Grains.Interfaces.Adjustments;

/// <summary>
/// A tenant's billing adjustments outside any one invoice (docs/INVOICES.md "Adjustments"): coupons, tax rates,
/// pending invoice items, customers' balance ledgers and credit grants. Keyed by the tenant id; rows in PostgreSQL
/// (0610_invoice_adjustments.sql), each customer's ledger changed under its billing row's lock, so any activation
/// may serve. Customer-scoped times are the customer's billing time (its test clock, if any). Refusals are PlatformExceptions with the codes of InvoiceErrorCodes.
/// </summary>
[Alias("platform.billing_adjustments")]
public interface IBillingAdjustmentsGrain : IGrainWithStringKey
{
    [Alias("create_coupon")] Task<CouponSnapshot> CreateCouponAsync(CouponDraft draft);
    [Alias("get_coupon")] Task<CouponSnapshot?> GetCouponAsync(string couponId);
    [Alias("list_coupons")] Task<Page<CouponSnapshot>> ListCouponsAsync(PageRequest page);
    [Alias("delete_coupon")] Task<CouponSnapshot?> DeleteCouponAsync(string couponId);

    /// <summary>Redeems the coupon once (max_redemptions counted exactly) for a subscription on <paramref name="planId"/> in <paramref name="currency"/>.</summary>
    [Alias("redeem_coupon")] Task<CouponSnapshot> RedeemCouponAsync(string couponId, string planId, string currency, DateTimeOffset now);

    [Alias("create_tax_rate")] Task<TaxRateSnapshot> CreateTaxRateAsync(TaxRateDraft draft);
    [Alias("get_tax_rate")] Task<TaxRateSnapshot?> GetTaxRateAsync(string taxRateId);
    [Alias("list_tax_rates")] Task<Page<TaxRateSnapshot>> ListTaxRatesAsync(PageRequest page);
    [Alias("update_tax_rate")] Task<TaxRateSnapshot?> UpdateTaxRateAsync(string taxRateId, bool? active, bool? isDefault);

    /// <summary>The rates named (all must exist and be active), in the order given; the tenant's defaults when <paramref name="ids"/> is empty.</summary>
    [Alias("resolve_tax_rates")] Task<IReadOnlyList<TaxRateSnapshot>> ResolveTaxRatesAsync(IReadOnlyList<string> ids, bool defaultsWhenEmpty);

    [Alias("create_invoice_item")] Task<InvoiceItemSnapshot> CreateInvoiceItemAsync(InvoiceItemDraft draft);
    [Alias("get_invoice_item")] Task<InvoiceItemSnapshot?> GetInvoiceItemAsync(string invoiceItemId);
    [Alias("list_invoice_items")] Task<Page<InvoiceItemSnapshot>> ListInvoiceItemsAsync(string? customerId, bool? pending, PageRequest page);
    [Alias("delete_invoice_item")] Task<InvoiceItemSnapshot?> DeleteInvoiceItemAsync(string invoiceItemId);

    [Alias("get_billing")] Task<CustomerBillingSnapshot> GetBillingAsync(string customerId);
    [Alias("set_tax_exempt")] Task<CustomerBillingSnapshot> SetTaxExemptAsync(string customerId, string taxExempt);
    [Alias("adjust_balance")] Task<BalanceTransactionSnapshot> AdjustBalanceAsync(string customerId, long amount, string currency, string? description);
    [Alias("list_balance_transactions")] Task<Page<BalanceTransactionSnapshot>> ListBalanceTransactionsAsync(string customerId, PageRequest page);

    [Alias("create_credit_grant")] Task<CreditGrantSnapshot> CreateCreditGrantAsync(CreditGrantDraft draft);
    [Alias("get_credit_grant")] Task<CreditGrantSnapshot?> GetCreditGrantAsync(string creditGrantId);
    [Alias("list_credit_grants")] Task<Page<CreditGrantSnapshot>> ListCreditGrantsAsync(string? customerId, PageRequest page);
    [Alias("void_credit_grant")] Task<CreditGrantSnapshot?> VoidCreditGrantAsync(string creditGrantId);
}

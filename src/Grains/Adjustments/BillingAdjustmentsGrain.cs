using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;
using Platform.Grains.Interfaces.Adjustments;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Invoices;
using Platform.Grains.Subscriptions;

namespace Platform.Grains.Adjustments;

/// <summary>
/// A tenant's coupons, tax rates, invoice items, balance ledgers and credit grants (IBillingAdjustmentsGrain). Stateless:
/// the rows are the state and every change that must be ordered takes its customer's billing row lock
/// (<see cref="CustomerLedger"/>), so any activation on any silo may serve.
/// </summary>
[StatelessWorker]
public sealed class BillingAdjustmentsGrain(AdjustmentStore store, [FromKeyedServices(BillingClock.Key)] TimeProvider clock) : Grain, IBillingAdjustmentsGrain
{
    private string TenantId => this.GetPrimaryKeyString();

    public Task<CouponSnapshot> CreateCouponAsync(CouponDraft draft) => store.InsertCouponAsync(TenantId, draft, clock.GetUtcNow());

    public Task<CouponSnapshot?> GetCouponAsync(string couponId) => store.CouponAsync(TenantId, couponId, clock.GetUtcNow());

    public Task<Page<CouponSnapshot>> ListCouponsAsync(PageRequest page) => store.CouponsAsync(TenantId, page, clock.GetUtcNow());

    public Task<CouponSnapshot?> DeleteCouponAsync(string couponId) => store.DeleteCouponAsync(TenantId, couponId, clock.GetUtcNow());

    public async Task<CouponSnapshot> RedeemCouponAsync(string couponId, string planId, string currency, DateTimeOffset now)
    {
        var coupon = await store.CouponAsync(TenantId, couponId, now)
                     ?? throw new PlatformException(PlatformErrorKind.InvalidRequest, "resource_missing", "No such coupon.", "coupon");
        if ((coupon.Terms.AppliesToPlans.Count > 0 && !coupon.Terms.AppliesToPlans.Contains(planId))
            || (coupon.Terms.Currency is { } couponCurrency && couponCurrency != currency))
        {
            throw new PlatformException(PlatformErrorKind.InvalidRequest, InvoiceErrorCodes.CouponNotApplicable,
                "This coupon does not apply to the subscription's plan or currency.", "coupon");
        }
        return await store.RedeemAsync(TenantId, couponId, now)
               ?? throw new PlatformException(PlatformErrorKind.InvalidRequest, InvoiceErrorCodes.CouponExpired,
                   "This coupon can no longer be redeemed: it was deleted, is past its redeem_by, or reached max_redemptions.", "coupon");
    }

    public Task<TaxRateSnapshot> CreateTaxRateAsync(TaxRateDraft draft) => store.InsertTaxRateAsync(TenantId, draft, clock.GetUtcNow());

    public async Task<TaxRateSnapshot?> GetTaxRateAsync(string taxRateId) => (await store.TaxRatesAsync(TenantId, [taxRateId], false)) is [var rate, ..] ? rate : null;

    public Task<Page<TaxRateSnapshot>> ListTaxRatesAsync(PageRequest page) => store.TaxRatesPageAsync(TenantId, page);

    public Task<TaxRateSnapshot?> UpdateTaxRateAsync(string taxRateId, bool? active, bool? isDefault) => store.UpdateTaxRateAsync(TenantId, taxRateId, active, isDefault);

    public async Task<IReadOnlyList<TaxRateSnapshot>> ResolveTaxRatesAsync(IReadOnlyList<string> ids, bool defaultsWhenEmpty)
    {
        var found = await store.TaxRatesAsync(TenantId, ids, defaultsWhenEmpty && ids.Count == 0);
        if (ids.Count == 0)
        {
            return found;
        }
        var byId = found.ToDictionary(r => r.Id, StringComparer.Ordinal);
        var resolved = new List<TaxRateSnapshot>(ids.Count);
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            if (!byId.TryGetValue(id, out var rate) || !rate.Active)
            {
                throw new PlatformException(PlatformErrorKind.InvalidRequest, "resource_missing", $"No such active tax rate: {id}.", "tax_rates");
            }
            resolved.Add(rate);
        }
        return resolved;
    }

    public async Task<InvoiceItemSnapshot> CreateInvoiceItemAsync(InvoiceItemDraft draft)
    {
        var rates = await ResolveTaxRatesAsync(draft.TaxRateIds, defaultsWhenEmpty: false);
        return await store.InsertItemAsync(TenantId, draft, rates, await NowAsync(draft.CustomerId));
    }

    public Task<InvoiceItemSnapshot?> GetInvoiceItemAsync(string invoiceItemId) => store.ItemAsync(TenantId, invoiceItemId);

    public Task<Page<InvoiceItemSnapshot>> ListInvoiceItemsAsync(string? customerId, bool? pending, PageRequest page) =>
        store.ItemsAsync(TenantId, customerId, pending, page);

    public async Task<InvoiceItemSnapshot?> DeleteInvoiceItemAsync(string invoiceItemId) =>
        await store.ItemAsync(TenantId, invoiceItemId) is { } item ? await store.DeleteItemAsync(TenantId, invoiceItemId, await NowAsync(item.CustomerId)) : null;

    public Task<CustomerBillingSnapshot> GetBillingAsync(string customerId) => store.BillingAsync(TenantId, customerId);

    public Task<CustomerBillingSnapshot> SetTaxExemptAsync(string customerId, string taxExempt) => store.SetTaxExemptAsync(TenantId, customerId, taxExempt);

    public async Task<BalanceTransactionSnapshot> AdjustBalanceAsync(string customerId, long amount, string currency, string? description) =>
        await store.AdjustBalanceAsync(TenantId, customerId, amount, currency, description, await NowAsync(customerId));

    public Task<Page<BalanceTransactionSnapshot>> ListBalanceTransactionsAsync(string customerId, PageRequest page) =>
        store.BalanceTransactionsAsync(TenantId, customerId, page);

    public async Task<CreditGrantSnapshot> CreateCreditGrantAsync(CreditGrantDraft draft)
    {
        var now = await NowAsync(draft.CustomerId);
        var grant = await store.InsertGrantAsync(TenantId, draft, now);
        if (draft.Category == CreditGrantCategories.Paid)
        {
            // Bought: a one-off invoice sells it (an item of the grant's amount, billed now); paid, it makes the grant effective.
            var invoiceId = PlatformIds.DerivedId(PlatformIds.InvoicePrefix, TenantId, "credit_grant/" + grant.Id);
            await store.InsertItemAsync(TenantId, new InvoiceItemDraft(draft.CustomerId, draft.Amount, draft.Currency,
                $"Prepaid credits{(draft.Name is { } name ? $": {name}" : "")}", new Dictionary<string, string> { ["credit_grant"] = grant.Id }, [],
                Id: PlatformIds.DerivedId(PlatformIds.InvoiceItemPrefix, TenantId, "credit_grant/" + grant.Id)), [], now);
            await store.LinkGrantInvoiceAsync(TenantId, grant.Id, invoiceId);
            await GrainFactory.GetGrain<IInvoiceGrain>(PlatformIds.InvoiceKey(TenantId, invoiceId))
                .CreateOneOffAsync(new OneOffInvoiceDraft(draft.CustomerId, draft.Currency, CollectionMethods.ChargeAutomatically, null, true,
                    $"Prepaid credits {grant.Id}", grant.Id));
            grant = (await store.GrantAsync(TenantId, grant.Id))!;
        }
        return grant;
    }

    public Task<CreditGrantSnapshot?> GetCreditGrantAsync(string creditGrantId) => store.GrantAsync(TenantId, creditGrantId);

    public Task<Page<CreditGrantSnapshot>> ListCreditGrantsAsync(string? customerId, PageRequest page) => store.GrantsAsync(TenantId, customerId, page);

    public async Task<CreditGrantSnapshot?> VoidCreditGrantAsync(string creditGrantId) =>
        await store.GrantAsync(TenantId, creditGrantId) is { } grant ? await store.VoidGrantAsync(TenantId, creditGrantId, await NowAsync(grant.Terms.CustomerId)) : null;

    private Task<DateTimeOffset> NowAsync(string customerId) => new TestClocks.CustomerClock(GrainFactory, clock, TenantId, customerId).NowAsync();
}

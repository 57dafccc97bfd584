using System.Text.Json.Serialization;
using Platform.Api.Common;
using Platform.Api.OpenApi;
using Platform.Grains.Interfaces.Adjustments;
using Platform.Grains.Interfaces.Invoices;

namespace Platform.Api.Adjustments;

/// <summary>A coupon in Stripe's shape (percent_off or amount_off + currency; duration once | repeating | forever).</summary>
public sealed record CouponResource(
    string Id, string? Name, decimal? PercentOff, long? AmountOff, string? Currency, string Duration, int? DurationInMonths, int? MaxRedemptions,
    int TimesRedeemed, long? RedeemBy, IReadOnlyList<string> AppliesTo, bool Valid, long Created, IReadOnlyDictionary<string, string> Metadata)
{
    [JsonPropertyOrder(-1)] public string Object => "coupon";

    public static CouponResource From(CouponSnapshot c) => new(c.Id, c.Terms.Name, c.Terms.PercentOff, c.Terms.AmountOff, c.Terms.Currency, c.Terms.Duration,
        c.Terms.DurationInMonths, c.Terms.MaxRedemptions, c.TimesRedeemed, c.Terms.RedeemBy?.ToUnixTimeSeconds(), c.Terms.AppliesToPlans, c.Valid,
        UnixTime.Seconds(c.Created), c.Terms.Metadata);
}

/// <summary>A tax rate in Stripe's shape; <c>default</c> marks the tenant's default rates.</summary>
public sealed record TaxRateResource(
    string Id, string DisplayName, decimal Percentage, bool Inclusive, string? Jurisdiction, string? Country, bool Active, bool Default, long Created)
{
    [JsonPropertyOrder(-1)] public string Object => "tax_rate";

    public static TaxRateResource From(TaxRateSnapshot r) =>
        new(r.Id, r.DisplayName, r.Percentage, r.Inclusive, r.Jurisdiction, r.Country, r.Active, r.IsDefault, UnixTime.Seconds(r.Created));
}

/// <summary>An invoice item (Stripe's <c>invoiceitem</c>): pending while <c>invoice</c> is null.</summary>
public sealed record InvoiceItemResource(
    string Id, string Customer, string? Subscription, string? Plan, long Amount, string Currency, string Description, bool Proration,
    long PeriodStart, long PeriodEnd, IReadOnlyList<TaxRateResource> TaxRates, string? Invoice, long Created, IReadOnlyDictionary<string, string> Metadata)
{
    [JsonPropertyOrder(-1)] public string Object => "invoiceitem";

    public static InvoiceItemResource From(InvoiceItemSnapshot i) => new(i.Id, i.CustomerId, i.SubscriptionId, i.PlanId, i.Amount, i.Currency, i.Description,
        i.Proration, i.PeriodStart.ToUnixTimeSeconds(), i.PeriodEnd.ToUnixTimeSeconds(), i.TaxRates.Select(TaxRateResource.From).ToArray(), i.InvoiceId,
        UnixTime.Seconds(i.Created), i.Metadata);
}

/// <summary>A customer balance transaction (Stripe's <c>customer_balance_transaction</c>): negative amounts are credit.</summary>
public sealed record BalanceTransactionResource(
    string Id, string Customer, long Amount, string Currency, long EndingBalance, string Type, string? Invoice, string? CreditNote, string? Description, long Created)
{
    [JsonPropertyOrder(-1)] public string Object => "customer_balance_transaction";

    public static BalanceTransactionResource From(BalanceTransactionSnapshot t) => new(t.Id, t.CustomerId, t.Amount, t.Currency, t.EndingBalance, t.Type,
        t.InvoiceId, t.CreditNoteId, t.Description, UnixTime.Seconds(t.Created));
}

/// <summary>A customer's billing: currency (fixed by the first invoice), balance (negative: credit) and tax status.</summary>
public sealed record CustomerBillingResource(string Customer, string? Currency, long Balance, string TaxExempt, DiscountResource? Discount)
{
    [JsonPropertyOrder(-1)] public string Object => "customer_billing";

    public static CustomerBillingResource From(CustomerBillingSnapshot b) => new(b.CustomerId, b.Currency, b.Balance, b.TaxExempt,
        b.Discount is { } d ? DiscountResource.From(d) : null);
}

/// <summary>A coupon redeemed on a customer or a subscription (Stripe's <c>discount</c>): from <c>start</c> until <c>end</c> (null: once or forever).</summary>
public sealed record DiscountResource(string Coupon, decimal? PercentOff, long? AmountOff, string Duration, long Start, long? End)
{
    [JsonPropertyOrder(-1)] public string Object => "discount";

    public static DiscountResource From(SubscriptionDiscount d) =>
        new(d.Terms.CouponId, d.Terms.PercentOff, d.Terms.AmountOff, d.Duration, d.Start.ToUnixTimeSeconds(), d.End?.ToUnixTimeSeconds());
}

/// <summary>A credit grant (prepaid or promotional credits): <c>remaining</c> is what invoices have not spent.</summary>
public sealed record CreditGrantResource(
    string Id, string Customer, string? Name, long Amount, long Remaining, string Currency, string AppliesTo, int Priority, string Category,
    long? ExpiresAt, long? EffectiveAt, long? VoidedAt, string? Invoice, long Created, IReadOnlyDictionary<string, string> Metadata)
{
    [JsonPropertyOrder(-1)] public string Object => "billing.credit_grant";

    public static CreditGrantResource From(CreditGrantSnapshot g) => new(g.Id, g.Terms.CustomerId, g.Terms.Name, g.Terms.Amount, g.Remaining, g.Terms.Currency,
        g.Terms.AppliesTo, g.Terms.Priority, g.Terms.Category, g.Terms.ExpiresAt?.ToUnixTimeSeconds(), g.EffectiveAt?.ToUnixTimeSeconds(),
        g.VoidedAt?.ToUnixTimeSeconds(), g.InvoiceId, UnixTime.Seconds(g.Created), g.Terms.Metadata);
}

/// <summary>A credit note in Stripe's shape, numbered after its invoice.</summary>
public sealed record CreditNoteResource(
    string Id, string Number, string Invoice, string Customer, long Amount, string Currency, long PrePaymentAmount, long RefundAmount, long CreditAmount,
    string? Refund, string? Reason, string? Memo, string Status, long Created, long? VoidedAt, IReadOnlyDictionary<string, string> Metadata,
    IReadOnlyList<CreditNoteLineResource> Lines)
{
    [JsonPropertyOrder(-1)] public string Object => "credit_note";

    public static CreditNoteResource From(CreditNoteSnapshot n) => new(n.Id, n.Number, n.InvoiceId, n.CustomerId, n.Amount, n.Currency, n.PrePaymentAmount,
        n.RefundAmount, n.CreditAmount, n.RefundId, n.Reason, n.Memo, n.Status, UnixTime.Seconds(n.Created), n.VoidedAt?.ToUnixTimeSeconds(), n.Metadata,
        (n.Lines ?? []).Select(l => new CreditNoteLineResource(l.InvoiceLineId, l.Amount)).ToArray());
}

public sealed record CreateCouponRequest(
    string? Name, decimal? PercentOff, long? AmountOff, string? Currency,
    [property: WireValues(CouponDurations.Once, CouponDurations.Repeating, CouponDurations.Forever)] string? Duration, int? DurationInMonths, int? MaxRedemptions, long? RedeemBy,
    IReadOnlyList<string>? AppliesTo, IReadOnlyDictionary<string, string>? Metadata);

public sealed record CreateTaxRateRequest(
    [property: RequiredField] string? DisplayName, [property: RequiredField] decimal? Percentage, [property: RequiredField] bool? Inclusive,
    string? Jurisdiction, string? Country, bool? Default);

public sealed record UpdateTaxRateRequest(bool? Active, bool? Default);

public sealed record CreateInvoiceItemRequest(
    [property: RequiredField] string? Customer, [property: RequiredField] long? Amount, [property: RequiredField] string? Currency, string? Description, IReadOnlyList<string>? TaxRates, IReadOnlyDictionary<string, string>? Metadata);

public sealed record CreateInvoiceRequest(
    [property: RequiredField] string? Customer, bool? AutoAdvance,
    [property: WireValues(CollectionMethods.ChargeAutomatically, CollectionMethods.SendInvoice)] string? CollectionMethod, int? DaysUntilDue, string? Description, string? Currency,
    IReadOnlyDictionary<string, string>? Metadata);

public sealed record CreateBalanceTransactionRequest([property: RequiredField] long? Amount, [property: RequiredField] string? Currency, string? Description);

public sealed record SetCustomerBillingRequest(
    [property: WireValues(TaxExemptions.None, TaxExemptions.Exempt, TaxExemptions.Reverse)] string? TaxExempt, string? Coupon);

public sealed record CreateCreditGrantRequest(
    [property: RequiredField] string? Customer, string? Name, [property: RequiredField] long? Amount, [property: RequiredField] string? Currency,
    [property: WireValues(CreditGrantScopes.Metered, CreditGrantScopes.All)] string? AppliesTo, int? Priority,
    [property: WireValues(CreditGrantCategories.Paid, CreditGrantCategories.Promotional)] string? Category, long? ExpiresAt,
    IReadOnlyDictionary<string, string>? Metadata);

/// <summary>One invoice line a credit note credits.</summary>
public sealed record CreditNoteLineResource(string InvoiceLine, long Amount);

public sealed record CreditNoteLineRequest([property: RequiredField] string? InvoiceLine, [property: RequiredField] long? Amount);

/// <summary>The body of <c>POST /v1/credit_notes</c>: <c>amount</c>, or <c>lines</c> (the amount is their sum), or both when they agree.</summary>
public sealed record CreateCreditNoteRequest(
    [property: RequiredField] string? Invoice, long? Amount, long? RefundAmount, long? CreditAmount,
    [property: WireValues("duplicate", "fraudulent", "order_change", "product_unsatisfactory")] string? Reason, string? Memo, IReadOnlyDictionary<string, string>? Metadata,
    IReadOnlyList<CreditNoteLineRequest>? Lines = null);

public sealed record CreditNoteListParameters(
    [property: Microsoft.AspNetCore.Mvc.FromQuery(Name = "invoice")] string? Invoice,
    [property: Microsoft.AspNetCore.Mvc.FromQuery(Name = "customer")] string? Customer);

public sealed record InvoiceItemListParameters(
    [property: Microsoft.AspNetCore.Mvc.FromQuery(Name = "customer")] string? Customer,
    [property: Microsoft.AspNetCore.Mvc.FromQuery(Name = "pending")] bool? Pending);

/// <summary>What the adjustment handlers need, bound with [AsParameters].</summary>
public sealed record AdjustmentServices(IGrainFactory Grains, HttpContext Http)
{
    public IBillingAdjustmentsGrain Adjustments => Grains.GetGrain<IBillingAdjustmentsGrain>(Auth.PlatformClaims.RequireTenantId(Http.User));

    public IInvoiceDirectoryGrain Invoices => Grains.GetGrain<IInvoiceDirectoryGrain>(Auth.PlatformClaims.RequireTenantId(Http.User));
}

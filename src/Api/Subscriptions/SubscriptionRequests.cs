using Platform.Api.OpenApi;
using Platform.Grains.Interfaces.Invoices;

namespace Platform.Api.Subscriptions;

/// <summary>The body of <c>POST /v1/subscriptions</c>.</summary>
/// <param name="CollectionMethod"><c>charge_automatically</c> (default: the default payment method is charged at finalization) or
/// <c>send_invoice</c> (the invoice is due <paramref name="DaysUntilDue"/> days after finalization, default 30).</param>
/// <param name="Coupon">A coupon (<c>co_…</c>) redeemed on the subscription: its discount applies to the invoices of its duration.</param>
/// <param name="Currency">The currency to bill in: the plan's, or one of its <c>currency_options</c> (default: the customer's, once fixed, else the plan's).</param>
/// <param name="DefaultTaxRates">Tax rates (<c>txr_…</c>) for this subscription's invoices instead of the tenant's defaults.</param>
public sealed record CreateSubscriptionRequest(
    [property: RequiredField] string? Customer,
    [property: RequiredField] string? Plan,
    [property: WireValues(CollectionMethods.ChargeAutomatically, CollectionMethods.SendInvoice)] string? CollectionMethod = null,
    int? DaysUntilDue = null,
    string? Coupon = null,
    IReadOnlyList<string>? DefaultTaxRates = null,
    string? Currency = null);

/// <summary>
/// The body of <c>POST /v1/subscriptions/{id}</c>: moves the subscription to another plan. <c>proration_behavior</c>
/// (Stripe's: <c>create_prorations</c> by default, <c>none</c>, <c>always_invoice</c>): for a subscription managed here,
/// the old plan's unused time is credited and the new plan's charged, by the second, as invoice items on the next
/// invoice (<c>always_invoice</c>: billed at once on a one-off invoice; docs/INVOICES.md "Proration").
/// </summary>
/// <param name="Coupon">A coupon redeemed on the subscription from now on (replacing its discount), as Stripe's <c>coupon</c>;
/// <c>plan</c> or <c>coupon</c> (or both) is required.</param>
public sealed record UpdateSubscriptionRequest(
    string? Plan,
    [property: WireValues("create_prorations", "none", "always_invoice")] string? ProrationBehavior = null,
    string? Coupon = null);

/// <summary>The body of <c>POST /v1/subscriptions/{id}/cancel</c>; without <c>at_period_end</c>, cancels now.</summary>
public sealed record CancelSubscriptionRequest(bool? AtPeriodEnd);

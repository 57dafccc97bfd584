using Platform.Api.OpenApi;
using Platform.Grains.Interfaces.Invoices;

namespace Platform.Api.Subscriptions;

/// <summary>The body of <c>POST /v1/subscriptions</c>.</summary>
/// <param name="CollectionMethod"><c>charge_automatically</c> (default: the default payment method is charged at finalization) or
/// <c>send_invoice</c> (the invoice is due <paramref name="DaysUntilDue"/> days after finalization, default 30).</param>
public sealed record CreateSubscriptionRequest(
    [property: RequiredField] string? Customer,
    [property: RequiredField] string? Plan,
    [property: WireValues(CollectionMethods.ChargeAutomatically, CollectionMethods.SendInvoice)] string? CollectionMethod = null,
    int? DaysUntilDue = null);

/// <summary>
/// The body of <c>POST /v1/subscriptions/{id}</c>: moves the subscription to another plan. <c>proration_behavior</c>
/// (Stripe's: <c>create_prorations</c> by default, <c>none</c>, <c>always_invoice</c>) applies to a subscription
/// managed by Stripe; one managed here has no proration.
/// </summary>
public sealed record UpdateSubscriptionRequest(
    [property: RequiredField] string? Plan,
    [property: WireValues("create_prorations", "none", "always_invoice")] string? ProrationBehavior = null);

/// <summary>The body of <c>POST /v1/subscriptions/{id}/cancel</c>; without <c>at_period_end</c>, cancels now.</summary>
public sealed record CancelSubscriptionRequest(bool? AtPeriodEnd);

namespace Platform.Api.Subscriptions;

/// <summary>The body of <c>POST /v1/subscriptions</c>.</summary>
public sealed record CreateSubscriptionRequest(string? Customer, string? Plan);

/// <summary>
/// The body of <c>POST /v1/subscriptions/{id}</c>: moves the subscription to another plan. <c>proration_behavior</c>
/// (Stripe's: <c>create_prorations</c> by default, <c>none</c>, <c>always_invoice</c>) applies to a subscription
/// managed by Stripe; one managed here has no proration.
/// </summary>
public sealed record UpdateSubscriptionRequest(string? Plan, string? ProrationBehavior = null);

/// <summary>The body of <c>POST /v1/subscriptions/{id}/cancel</c>; without <c>at_period_end</c>, cancels now.</summary>
public sealed record CancelSubscriptionRequest(bool? AtPeriodEnd);

namespace Platform.Api.Subscriptions;

/// <summary>The body of <c>POST /v1/subscriptions</c>.</summary>
public sealed record CreateSubscriptionRequest(string? Customer, string? Plan);

/// <summary>The body of <c>POST /v1/subscriptions/{id}</c>: moves the subscription to another plan.</summary>
public sealed record UpdateSubscriptionRequest(string? Plan);

/// <summary>The body of <c>POST /v1/subscriptions/{id}/cancel</c>; without <c>at_period_end</c>, cancels now.</summary>
public sealed record CancelSubscriptionRequest(bool? AtPeriodEnd);

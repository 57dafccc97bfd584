namespace Platform.Grains.Interfaces.Subscriptions;

/// <summary>A Stripe Checkout Session as Stripe returned it; <see cref="Url"/> is the hosted page. Times are UTC.</summary>
[GenerateSerializer, Immutable, Alias("platform.checkout_session_snapshot")]
public sealed record CheckoutSessionSnapshot(
    [property: Id(0)] string Id,
    [property: Id(1)] string? Url,
    [property: Id(2)] DateTimeOffset ExpiresAt,
    [property: Id(3)] string CustomerId,
    [property: Id(4)] string PlanId,
    [property: Id(5)] string Status,
    [property: Id(6)] DateTimeOffset Created);

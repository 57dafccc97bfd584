namespace Platform.Grains.Interfaces.Subscriptions;

/// <summary>
/// The subscription, created here on a plan, or managed by Stripe (<see cref="ManagedByStripe"/>: sold through
/// Checkout, or only mirrored), whose <see cref="PlanId"/> is the plan its Stripe price maps to. Times are UTC.
/// </summary>
[GenerateSerializer, Immutable, Alias("platform.subscription_snapshot")]
public sealed record SubscriptionSnapshot(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] string StripeSubscriptionId,
    [property: Id(2)] string Status,
    [property: Id(3)] IReadOnlyList<SubscriptionItemSnapshot> Items,
    [property: Id(4)] DateTimeOffset? CurrentPeriodStart,
    [property: Id(5)] DateTimeOffset? CurrentPeriodEnd,
    [property: Id(6)] bool CancelAtPeriodEnd,
    [property: Id(7)] DateTimeOffset? CanceledAt,
    [property: Id(8)] DateTimeOffset? TrialEnd,
    [property: Id(9)] string? LatestInvoiceId,
    [property: Id(10)] string? LatestInvoiceStatus,
    [property: Id(11)] DateTimeOffset? Created,
    [property: Id(12)] DateTimeOffset Updated,
    [property: Id(13)] DateTimeOffset? EndedAt,
    [property: Id(14)] string? PlanId = null,
    [property: Id(15)] bool ManagedByStripe = false);

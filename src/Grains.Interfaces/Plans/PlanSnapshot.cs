namespace Platform.Grains.Interfaces.Plans;

/// <summary>
/// A tenant's plan. <see cref="Subscribers"/> counts subscriptions on it (a plan in use cannot be deleted);
/// <see cref="StripePriceId"/> is its price at Stripe once it was sold through Checkout, <see cref="StripeUsagePrices"/>
/// the metered prices of its usage charges there (in the order of <see cref="PlanDraft.UsageCharges"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("platform.plan_snapshot")]
public sealed record PlanSnapshot(
    [property: Id(0)] string Id,
    [property: Id(1)] PlanDraft Definition,
    [property: Id(2)] bool Archived,
    [property: Id(3)] DateTimeOffset Created,
    [property: Id(4)] int Subscribers,
    [property: Id(5)] string? StripePriceId = null,
    [property: Id(6)] IReadOnlyList<StripeUsagePrice>? StripeUsagePrices = null);

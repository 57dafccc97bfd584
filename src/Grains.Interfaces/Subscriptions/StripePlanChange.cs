namespace Platform.Grains.Interfaces.Subscriptions;

/// <summary>
/// A plan change of a Stripe-managed subscription: its item moves to the plan's price. <see cref="ProrationBehavior"/>
/// is Stripe's (<c>create_prorations</c>, <c>none</c>, <c>always_invoice</c>); <see cref="RequestKey"/> makes the
/// Stripe call idempotent. <see cref="UsageItemIds"/> are the subscription's other items (the old plan's metered prices),
/// removed as the new plan's metered prices are added.
/// </summary>
[GenerateSerializer, Immutable, Alias("platform.stripe_plan_change")]
public sealed record StripePlanChange(
    [property: Id(0)] string StripeSubscriptionId,
    [property: Id(1)] string ItemId,
    [property: Id(2)] string PlanId,
    [property: Id(3)] string ProrationBehavior,
    [property: Id(4)] string RequestKey,
    [property: Id(5)] IReadOnlyList<string>? UsageItemIds = null);

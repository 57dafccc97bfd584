namespace Platform.Grains.Interfaces.Subscriptions;

/// <summary>What a Checkout Session sells: one of the tenant's plans; where Stripe sends the customer afterwards.</summary>
[GenerateSerializer, Immutable, Alias("platform.checkout_draft")]
public sealed record CheckoutDraft(
    [property: Id(0)] string PlanId,
    [property: Id(1)] string SuccessUrl,
    [property: Id(2)] string CancelUrl,
    [property: Id(3)] string RequestKey);

namespace Platform.Grains.Interfaces.StripeWebhooks;

/// <summary>One subscription item as a Stripe event showed it: the price and quantity, nothing else.</summary>
[GenerateSerializer, Immutable, Alias("platform.stripe_event_item")]
public sealed record StripeEventItem(
    [property: Id(0)] string Id,
    [property: Id(1)] string? PriceId,
    [property: Id(2)] long Quantity);

namespace Platform.Grains.Interfaces.Subscriptions;

[GenerateSerializer, Immutable, Alias("platform.subscription_item")]
public sealed record SubscriptionItemSnapshot(
    [property: Id(0)] string Id,
    [property: Id(1)] string? PriceId,
    [property: Id(2)] long Quantity);

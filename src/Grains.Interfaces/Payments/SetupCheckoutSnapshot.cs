namespace Platform.Grains.Interfaces.Payments;

/// <summary>A Checkout Session in setup mode: <see cref="Url"/> is Stripe's hosted page.</summary>
[GenerateSerializer, Immutable, Alias("platform.setup_checkout_snapshot")]
public sealed record SetupCheckoutSnapshot(
    [property: Id(0)] string Id,
    [property: Id(1)] string Url,
    [property: Id(2)] DateTimeOffset ExpiresAt);

namespace Platform.Grains.Interfaces.Payments;

/// <summary>A saved card as Stripe describes it for display: brand, last four digits and expiry, nothing more.</summary>
[GenerateSerializer, Immutable, Alias("platform.payment_method_snapshot")]
public sealed record PaymentMethodSnapshot(
    [property: Id(0)] string Id,
    [property: Id(1)] string? CustomerId,
    [property: Id(2)] string Type,
    [property: Id(3)] string? Brand,
    [property: Id(4)] string? Last4,
    [property: Id(5)] long? ExpMonth,
    [property: Id(6)] long? ExpYear,
    [property: Id(7)] DateTimeOffset Created);

namespace Platform.Grains.Interfaces.Payments;

/// <summary>
/// One payment as we know it. Only Stripe ids and amounts, never card data. <see cref="ClientSecret"/>
/// lets the customer's browser finish the payment with Stripe.js; lists leave it out.
/// </summary>
[GenerateSerializer, Immutable, Alias("platform.payment_snapshot")]
public sealed record PaymentSnapshot(
    [property: Id(0)] string Id,
    [property: Id(1)] string TenantId,
    [property: Id(2)] string CustomerId,
    [property: Id(3)] long Amount,
    [property: Id(4)] string Currency,
    [property: Id(5)] PaymentStatus Status,
    [property: Id(6)] string? StripePaymentIntentId,
    [property: Id(7)] string? PaymentMethodId,
    [property: Id(8)] string? ClientSecret,
    [property: Id(9)] long AmountRefunded,
    [property: Id(10)] PaymentError? LastPaymentError,
    [property: Id(11)] IReadOnlyDictionary<string, string> Metadata,
    [property: Id(12)] DateTimeOffset Created);

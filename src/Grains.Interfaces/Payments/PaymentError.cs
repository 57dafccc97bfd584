namespace Platform.Grains.Interfaces.Payments;

/// <summary>Why the last attempt to pay failed: stable codes and our own text, never the provider's raw message.</summary>
[GenerateSerializer, Immutable, Alias("platform.payment_error")]
public sealed record PaymentError(
    [property: Id(0)] string Code,
    [property: Id(1)] string? DeclineCode,
    [property: Id(2)] string Message);

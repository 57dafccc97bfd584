namespace Platform.Grains.Interfaces.Payments;

/// <summary>A validated create request for one payment. <see cref="Fingerprint"/> tells an honest retry
/// of the same Idempotency-Key from a reuse with another body.</summary>
[GenerateSerializer, Immutable, Alias("platform.payment_draft")]
public sealed record PaymentDraft(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] long Amount,
    [property: Id(2)] string Currency,
    [property: Id(3)] string? PaymentMethodId,
    [property: Id(4)] bool Confirm,
    [property: Id(5)] IReadOnlyDictionary<string, string> Metadata,
    [property: Id(6)] string Fingerprint);

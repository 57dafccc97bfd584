namespace Platform.Grains.Interfaces.Payments;

/// <summary>A validated refund request: all that remains when <see cref="Amount"/> is null.</summary>
[GenerateSerializer, Immutable, Alias("platform.refund_draft")]
public sealed record RefundDraft(
    [property: Id(0)] string IdempotencyKey,
    [property: Id(1)] long? Amount,
    [property: Id(2)] string Fingerprint);

namespace Platform.Grains.Pci.Payments;

/// <summary>One refund of a payment, recorded (as pending) before Stripe is asked, so a retry resumes it with the same key and amount.</summary>
[GenerateSerializer, Alias("platform.refund_record")]
public sealed class RefundRecord
{
    public const string Pending = "pending";
    public const string Failed = "failed";

    [Id(0)] public string Id { get; set; } = "";

    [Id(1)] public string IdempotencyKey { get; set; } = "";

    [Id(2)] public string Fingerprint { get; set; } = "";

    [Id(3)] public long Amount { get; set; }

    /// <summary><see cref="Pending"/> until Stripe answers, then Stripe's refund status, or <see cref="Failed"/>.</summary>
    [Id(4)] public string Status { get; set; } = Pending;

    [Id(5)] public string? StripeRefundId { get; set; }

    [Id(6)] public StoredRefusal? Refusal { get; set; }

    [Id(7)] public DateTimeOffset Created { get; set; }
}

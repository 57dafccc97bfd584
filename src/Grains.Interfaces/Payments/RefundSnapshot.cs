namespace Platform.Grains.Interfaces.Payments;

[GenerateSerializer, Immutable, Alias("platform.refund_snapshot")]
public sealed record RefundSnapshot(
    [property: Id(0)] string Id,
    [property: Id(1)] string PaymentId,
    [property: Id(2)] long Amount,
    [property: Id(3)] string Currency,
    [property: Id(4)] string Status,
    [property: Id(5)] string? StripeRefundId,
    [property: Id(6)] DateTimeOffset Created);

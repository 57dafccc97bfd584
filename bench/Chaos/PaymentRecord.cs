using System.Collections.Concurrent;

namespace Platform.Bench.Chaos;

/// <summary>One logical payment (one Idempotency-Key) and every status the API showed for it, in time.</summary>
public sealed class PaymentRecord(string idempotencyKey, string host, string customerId)
{
    public string IdempotencyKey { get; } = idempotencyKey;
    public string Host { get; } = host;
    public string CustomerId { get; } = customerId;
    public string? PaymentId { get; set; }
    public string? StripeId { get; set; }
    public int? FinalRefusal { get; set; }
    public bool Acknowledged => PaymentId is not null;
    public ConcurrentQueue<(DateTimeOffset Start, DateTimeOffset End, string Status)> Observations { get; } = new();
}

using System.Collections.Concurrent;

namespace Platform.Bench.Chaos;

/// <summary>
/// One Stripe event the runner made up: version <see cref="Version"/> of a chaos customer's subscription (its
/// <c>created</c> and its item quantity both say the version), the status it carries, and every delivery of it.
/// Acknowledged once a delivery got a 2xx.
/// </summary>
public sealed class StripeEventRecord(string eventId, int customerIndex, string customerId, int version, string status, string payload)
{
    public string EventId { get; } = eventId;
    public int CustomerIndex { get; } = customerIndex;
    public string CustomerId { get; } = customerId;
    public int Version { get; } = version;
    public string Status { get; } = status;
    public string Payload { get; } = payload;
    public bool IsFinal => SubscriptionVersion.IsFinal(Status);
    private volatile bool _acknowledged;

    public bool Acknowledged { get => _acknowledged; set => _acknowledged = value; }

    /// <summary>Every attempt: phase, API host, HTTP outcome and, for a 2xx, whether the platform called it a duplicate.</summary>
    public ConcurrentQueue<(string Phase, string Host, string Outcome, bool? Duplicate, bool Repeat)> Deliveries { get; } = new();
}

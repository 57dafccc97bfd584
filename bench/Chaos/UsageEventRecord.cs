namespace Platform.Bench.Chaos;

/// <summary>One usage event the runner made up: acknowledged once a 2xx reply listed it as accepted or duplicate.</summary>
public sealed class UsageEventRecord(string eventId, string customerId, string metric, int quantity)
{
    public string EventId { get; } = eventId;
    public string CustomerId { get; } = customerId;
    public string Metric { get; } = metric;
    public int Quantity { get; } = quantity;
    private volatile bool _acknowledged;

    public bool Acknowledged { get => _acknowledged; set => _acknowledged = value; }
}

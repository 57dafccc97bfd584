namespace Platform.Grains.Usage;

/// <summary>A logged event read back by the forwarder, in insert order.</summary>
public sealed record ForwardableEvent(long Sequence, string EventId, string CustomerId, string Metric, decimal Quantity, DateTimeOffset Timestamp);

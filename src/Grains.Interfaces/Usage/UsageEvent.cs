namespace Platform.Grains.Interfaces.Usage;

/// <summary>
/// One validated usage event for the customer the meter grain is keyed by. <see cref="Timestamp"/> null
/// means "now" on the meter's clock. <see cref="Quantity"/> is a decimal because usage is often fractional
/// (GB-hours, CPU-seconds); money stays in integer minor units elsewhere.
/// </summary>
[GenerateSerializer, Immutable, Alias("platform.usage_event")]
public sealed record UsageEvent(
    [property: Id(0)] string EventId,
    [property: Id(1)] string Metric,
    [property: Id(2)] decimal Quantity,
    [property: Id(3)] DateTimeOffset? Timestamp,
    [property: Id(4)] IReadOnlyDictionary<string, string> Properties);

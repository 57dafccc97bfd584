namespace Platform.Grains.Interfaces.Usage;

/// <summary>A customer's usage over [<see cref="From"/>, <see cref="To"/>). <see cref="Live"/> says the
/// figures came from the meter's memory (the current period) rather than from a query over the log.</summary>
[GenerateSerializer, Immutable, Alias("platform.usage_summary")]
public sealed record UsageSummary(
    [property: Id(0)] DateTimeOffset From,
    [property: Id(1)] DateTimeOffset To,
    [property: Id(2)] bool Live,
    [property: Id(3)] IReadOnlyList<MetricUsage> Metrics);

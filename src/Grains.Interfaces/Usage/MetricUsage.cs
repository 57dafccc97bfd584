namespace Platform.Grains.Interfaces.Usage;

/// <summary>
/// The aggregates of one metric over a range: <c>sum</c>, <c>count</c>, <c>max</c>, <c>latest</c> (the
/// quantity of the event with the greatest timestamp; on a tie, the one logged last) and, per property
/// key, the number of distinct values (<c>unique_count</c>).
/// </summary>
[GenerateSerializer, Immutable, Alias("platform.metric_usage")]
public sealed record MetricUsage(
    [property: Id(0)] string Metric,
    [property: Id(1)] decimal Sum,
    [property: Id(2)] long Count,
    [property: Id(3)] decimal Max,
    [property: Id(4)] decimal Latest,
    [property: Id(5)] IReadOnlyDictionary<string, long> UniqueCounts);

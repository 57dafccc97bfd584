namespace Platform.Grains.Interfaces.Usage;

/// <summary>Usage over [<see cref="From"/>, <see cref="To"/>); both null means the current period.
/// <see cref="Metric"/> null means every metric.</summary>
[GenerateSerializer, Immutable, Alias("platform.usage_query")]
public sealed record UsageQuery(
    [property: Id(0)] string? Metric,
    [property: Id(1)] DateTimeOffset? From,
    [property: Id(2)] DateTimeOffset? To);

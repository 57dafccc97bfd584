using System.Text.Json.Serialization;
using Platform.Grains.Interfaces.Usage;

namespace Platform.Api.Usage;

public sealed record MetricUsageResource(
    string Metric, decimal Sum, long Count, decimal Max, decimal Latest, IReadOnlyDictionary<string, long> UniqueCounts)
{
    [JsonPropertyOrder(-1)]
    public string Object => "metric_usage";

    public static MetricUsageResource From(MetricUsage usage) =>
        new(usage.Metric, usage.Sum, usage.Count, usage.Max, usage.Latest, usage.UniqueCounts);
}

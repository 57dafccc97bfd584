using System.Text.Json.Serialization;
using Platform.Grains.Interfaces.Usage;

namespace Platform.Api.Usage;

public sealed record MetricUsageResource(
    string Metric, decimal Sum, long Count, decimal Max, decimal Latest, IReadOnlyDictionary<string, long> UniqueCounts)
{
    [JsonPropertyOrder(-1)]
    public string Object => "metric_usage";

    public static MetricUsageResource From(MetricUsage usage) =>
        new(usage.Metric, Canonical(usage.Sum), usage.Count, Canonical(usage.Max), Canonical(usage.Latest), usage.UniqueCounts);

    // The same amount prints the same whether it came from memory (scale of the inputs) or from the log
    // (numeric(38,9)): no trailing zeros. Dividing by 1 with the highest scale strips them.
    private static decimal Canonical(decimal value) => value / 1.0000000000000000000000000000m;
}

using System.Text.Json.Serialization;
using Platform.Api.Common;
using Platform.Grains.Interfaces.Usage;

namespace Platform.Api.Usage;

/// <summary>A customer's usage over [from, to); <c>live</c> when it is the current period, answered from the meter's memory.</summary>
public sealed record UsageSummaryResource(string Customer, long From, long To, bool Live, IReadOnlyList<MetricUsageResource> Data)
{
    [JsonPropertyOrder(-1)]
    public string Object => "usage_summary";

    public static UsageSummaryResource Of(string customerId, UsageSummary summary) =>
        new(customerId, UnixTime.Seconds(summary.From), UnixTime.Seconds(summary.To), summary.Live,
            summary.Metrics.Select(MetricUsageResource.From).ToArray());
}

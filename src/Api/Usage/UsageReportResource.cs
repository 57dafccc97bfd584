using System.Text.Json.Serialization;

namespace Platform.Api.Usage;

/// <summary>The reply to POST /v1/usage_events: counts, then one result per event in request order.</summary>
public sealed record UsageReportResource(int Accepted, int Duplicate, int Rejected, IReadOnlyList<UsageEventResultResource> Data)
{
    [JsonPropertyOrder(-1)]
    public string Object => "usage_report";
}

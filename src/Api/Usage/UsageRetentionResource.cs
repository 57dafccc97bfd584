using System.Text.Json.Serialization;
using Platform.Api.Common;
using Platform.Grains.Interfaces.Usage;

namespace Platform.Api.Usage;

/// <summary>The reply to DELETE /v1/usage_events: rows removed, statements used, and whether to call again.</summary>
public sealed record UsageRetentionResource(long Before, long Deleted, int Batches, bool HasMore)
{
    [JsonPropertyOrder(-1)]
    public string Object => "usage_retention";

    public static UsageRetentionResource From(UsageRetentionResult result) =>
        new(UnixTime.Seconds(result.Before), result.Deleted, result.Batches, result.HasMore);
}

using System.Text.Json.Serialization;

namespace Platform.Api.Usage;

/// <summary>One event's outcome: <c>accepted</c>, <c>duplicate</c> or <c>rejected</c> (then with its error).</summary>
public sealed record UsageEventResultResource(int Index, string? EventId, string Status, UsageEventErrorResource? Error)
{
    public const string Accepted = "accepted";
    public const string Duplicate = "duplicate";
    public const string Rejected = "rejected";

    [JsonPropertyOrder(-1)]
    public string Object => "usage_event_result";
}

using System.Text.Json.Serialization;

namespace Platform.Api.Plans;

/// <summary>Stripe's answer to a delete: the id and <c>deleted: true</c>.</summary>
public sealed record DeletedPlanResource(string Id, bool Deleted)
{
    [JsonPropertyOrder(-1)]
    public string Object => "plan";
}

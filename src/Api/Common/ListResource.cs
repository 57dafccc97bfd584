namespace Platform.Api.Common;

/// <summary>Stripe's list envelope: <c>{ object: "list", url, has_more, data }</c>.</summary>
public sealed record ListResource<T>(string Url, bool HasMore, IReadOnlyList<T> Data)
{
    [System.Text.Json.Serialization.JsonPropertyOrder(-1)]
    public string Object => "list";
}

using System.Text.Json.Serialization;

namespace Platform.Api.Licenses;

/// <summary>A signed license: <c>token</c> is a compact JWS (ES256) verifiable offline with <c>/.well-known/jwks.json</c>.</summary>
public sealed record LicenseResource(string Id, string Customer, string Plan, string Status, long Expires, string Token)
{
    [JsonPropertyOrder(-1)]
    public string Object => "license";
}

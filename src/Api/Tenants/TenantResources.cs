using Platform.Api.Auth;
using Platform.Api.Common;
using Platform.Api.OpenApi;
using Platform.Grains.Interfaces.Tenants;

namespace Platform.Api.Tenants;

public sealed record TenantResource(string Id, string Name, long Created, IReadOnlyDictionary<string, string> Metadata)
{
    [System.Text.Json.Serialization.JsonPropertyOrder(-1)]
    public string Object => "tenant";

    public static TenantResource From(TenantSnapshot tenant) =>
        new(tenant.Id, tenant.Name, UnixTime.Seconds(tenant.Created), tenant.Metadata);
}

/// <summary>An API key as listed: the secret is never shown again, only a hint.</summary>
public sealed record ApiKeyResource(string Id, string Role, long Created, string SecretHint, bool Revoked, long? RevokedAt)
{
    [System.Text.Json.Serialization.JsonPropertyOrder(-1)]
    public string Object => "api_key";

    public static ApiKeyResource From(ApiKeySummary key) =>
        new(key.Id, Policies.RoleName(key.Role), UnixTime.Seconds(key.Created), key.SecretHint,
            key.Revoked is not null, key.Revoked is { } at ? UnixTime.Seconds(at) : null);
}

/// <summary>The reply to an issue: the only time the secret is shown.</summary>
public sealed record IssuedApiKeyResource(string Id, string Role, long Created, string Secret)
{
    [System.Text.Json.Serialization.JsonPropertyOrder(-1)]
    public string Object => "api_key";
}

public sealed record CreateTenantRequest([property: RequiredField] string? Name, Dictionary<string, string>? Metadata);

public sealed record CreateApiKeyRequest([property: RequiredField, WireValues("admin", "finance", "read")] string? Role);

/// <summary>A tenant's rate-limit overrides: policy name → permits per window.</summary>
public sealed record RateLimitsResource(string Tenant, IReadOnlyDictionary<string, RateLimitResource> Limits)
{
    [System.Text.Json.Serialization.JsonPropertyOrder(-1)]
    public string Object => "rate_limits";
}

public sealed record RateLimitResource(int PermitLimit, long WindowSeconds);

public sealed record SetRateLimitsRequest(Dictionary<string, RateLimitResource>? Limits);

/// <summary>The body of <c>POST /v1/tenants/{id}/revoke_keys</c>; no body, or no <c>issued_before</c>, revokes every live key.</summary>
public sealed record RevokeAllKeysRequest(long? IssuedBefore);

public sealed record TenantKeysRevocationResource(string Tenant, long? IssuedBefore, IReadOnlyList<string> ApiKeysRevoked, IReadOnlyList<string> CustomerKeysRevoked)
{
    [System.Text.Json.Serialization.JsonPropertyOrder(-1)]
    public string Object => "tenant_keys_revocation";

    public static TenantKeysRevocationResource From(TenantKeysRevocation revocation) => new(
        revocation.TenantId, revocation.IssuedBefore?.ToUnixTimeSeconds(), revocation.ApiKeyIds, revocation.CustomerKeyIds);
}

using Platform.Grains.Interfaces.Tenants;

namespace Platform.Api.Auth;

/// <summary>What a verified credential speaks for, as the host remembers it (never the secret itself).
/// <see cref="Role"/> is the tenant key's role; <see cref="CustomerId"/> a customer key's customer.</summary>
public sealed record CachedCredential(string CredentialId, string TenantId, ApiKeyRole? Role, string? CustomerId, DateTimeOffset Expires);

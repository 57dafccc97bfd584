namespace Platform.Grains.Interfaces.Tenants;

/// <summary>What a tenant-wide revocation revoked: the tenant's API key ids and its customers' key ids.</summary>
[GenerateSerializer, Immutable, Alias("platform.tenant_keys_revocation")]
public sealed record TenantKeysRevocation(
    [property: Id(0)] string TenantId,
    [property: Id(1)] DateTimeOffset? IssuedBefore,
    [property: Id(2)] IReadOnlyList<string> ApiKeyIds,
    [property: Id(3)] IReadOnlyList<string> CustomerKeyIds);

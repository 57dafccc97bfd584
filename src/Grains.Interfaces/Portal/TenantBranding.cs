namespace Platform.Grains.Interfaces.Portal;

/// <summary>The name shown on the tenant's portal (null: the tenant's own name) and its accent colour (<c>#rrggbb</c>).</summary>
[GenerateSerializer, Immutable, Alias("platform.tenant_branding_record")]
public sealed record TenantBranding(
    [property: Id(0)] string? DisplayName,
    [property: Id(1)] string AccentColor,
    [property: Id(2)] DateTimeOffset Updated);

namespace Platform.Grains.Interfaces.Tenants;

[GenerateSerializer, Immutable, Alias("platform.tenant_draft")]
public sealed record TenantDraft(
    [property: Id(0)] string Name,
    [property: Id(1)] IReadOnlyDictionary<string, string> Metadata,
    [property: Id(2)] string? Fingerprint);

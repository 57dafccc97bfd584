namespace Platform.Grains.Interfaces.Tenants;

[GenerateSerializer, Immutable, Alias("platform.tenant_snapshot")]
public sealed record TenantSnapshot(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] DateTimeOffset Created,
    [property: Id(3)] IReadOnlyDictionary<string, string> Metadata);

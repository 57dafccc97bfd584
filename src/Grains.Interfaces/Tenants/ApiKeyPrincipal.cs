namespace Platform.Grains.Interfaces.Tenants;

/// <summary>Who a verified tenant key speaks for.</summary>
[GenerateSerializer, Immutable, Alias("platform.api_key_principal")]
public sealed record ApiKeyPrincipal(
    [property: Id(0)] string KeyId,
    [property: Id(1)] string TenantId,
    [property: Id(2)] ApiKeyRole Role);

namespace Platform.Grains.Interfaces.Tenants;

/// <summary>What may be shown of a key after issue: never the secret, only its last characters.</summary>
[GenerateSerializer, Immutable, Alias("platform.api_key_summary")]
public sealed record ApiKeySummary(
    [property: Id(0)] string Id,
    [property: Id(1)] ApiKeyRole Role,
    [property: Id(2)] DateTimeOffset Created,
    [property: Id(3)] string SecretHint,
    [property: Id(4)] DateTimeOffset? Revoked);

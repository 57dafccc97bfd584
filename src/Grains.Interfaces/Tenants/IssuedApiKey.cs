namespace Platform.Grains.Interfaces.Tenants;

/// <summary>The one moment the secret exists outside its holder: the reply to an issue call.</summary>
[GenerateSerializer, Immutable, Alias("platform.issued_api_key")]
public sealed record IssuedApiKey(
    [property: Id(0)] ApiKeySummary Key,
    [property: Id(1)] string Secret);

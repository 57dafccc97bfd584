namespace Platform.Grains.Interfaces.Customers;

[GenerateSerializer, Immutable, Alias("platform.customer_api_key_summary")]
public sealed record CustomerApiKeySummary(
    [property: Id(0)] string Id,
    [property: Id(1)] DateTimeOffset Created,
    [property: Id(2)] string SecretHint,
    [property: Id(3)] DateTimeOffset? Revoked);

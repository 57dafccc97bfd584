namespace Platform.Grains.Customers;

[GenerateSerializer, Alias("platform.customer_key_hash")]
public sealed record CustomerKeyHash(
    [property: Id(0)] string KeyId,
    [property: Id(1)] byte[] SecretHash,
    [property: Id(2)] bool Revoked);

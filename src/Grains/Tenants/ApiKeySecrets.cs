using System.Security.Cryptography;
using System.Text;
using Platform.Grains.Interfaces.Common;

namespace Platform.Grains.Tenants;

/// <summary>
/// Tenant key secrets: <c>sk_&lt;key id&gt;_&lt;43 base62 characters&gt;</c>, about 256 random bits.
/// Because the secret is that long and uniformly random, a slow password hash (PBKDF2, Argon2) would add
/// nothing against guessing and cost every request CPU: a fast keyed hash (HMAC-SHA256, keyed per key id)
/// compared in constant time is the right tool. The key id inside the secret finds the key's grain.
/// </summary>
public static class ApiKeySecrets
{
    private const int SecretLength = 43;

    public static string NewSecret(string keyId) =>
        PlatformIds.TenantSecretPrefix + keyId[PlatformIds.ApiKeyPrefix.Length..] + "_" + PlatformIds.RandomToken(SecretLength);

    public static byte[] Hash(string keyId, string secret) =>
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(keyId), Encoding.UTF8.GetBytes(secret));

    public static bool Matches(string keyId, string secret, byte[] expectedHash) =>
        CryptographicOperations.FixedTimeEquals(Hash(keyId, secret), expectedHash);

    /// <summary>What may be shown later to tell keys apart: the prefix and the last four characters.</summary>
    public static string Hint(string secret) => PlatformIds.TenantSecretPrefix + "…" + secret[^4..];
}

using System.Security.Cryptography;
using System.Text;
using Platform.Grains.Interfaces.Common;

namespace Platform.Grains.Customers;

/// <summary>
/// Customer keys: <c>cust_&lt;customer id&gt;_&lt;43 base62 characters&gt;</c> (about 256 random bits).
/// As for tenant keys, a fast keyed hash (HMAC-SHA256 keyed by the customer id) compared in constant time
/// is the right tool for long random secrets.
/// </summary>
public static class CustomerKeySecrets
{
    private const int SecretLength = 43;

    public static string NewSecret(string customerId) =>
        PlatformIds.CustomerSecretPrefix + customerId + "_" + PlatformIds.RandomToken(SecretLength);

    public static byte[] Hash(string customerId, string secret) =>
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(customerId), Encoding.UTF8.GetBytes(secret));

    public static string Hint(string secret) => PlatformIds.CustomerSecretPrefix + "…" + secret[^4..];
}

using Orleans.Concurrency;
using Platform.Grains.Interfaces.RateLimiting;

namespace Platform.Grains.Interfaces.Customers;

/// <summary>
/// The hashes of one customer's API keys, keyed by the bare customer id (<c>cus_…</c>), because a
/// customer key (<c>cust_&lt;customer id&gt;_&lt;secret&gt;</c>) names its customer but not its tenant.
/// Customer ids are random (or derived with the tenant in the hash), so they are unique platform-wide.
/// </summary>
[Alias("platform.customer_credentials")]
public interface ICustomerCredentialsGrain : IGrainWithStringKey
{
    [Alias("add")]
    Task AddAsync(string tenantId, string keyId, string secret);

    [Alias("verify")]
    Task<CustomerPrincipal?> VerifyAsync(string secret);

    /// <summary>Verifies, and only for a verified key takes the permit <paramref name="limit"/> names, in one call.</summary>
    // Interleaves: it only reads the key, and must not queue one hot key's requests behind the limiter call.
    [Alias("verify_and_limit"), AlwaysInterleave]
    Task<CustomerKeyVerification> VerifyAsync(string secret, RateLimitRequest? limit);

    [Alias("revoke")]
    Task RevokeAsync(string keyId);

    /// <summary>Stores the revocation of these keys and pushes no notice: the caller publishes one that covers them.</summary>
    [Alias("revoke_many")]
    Task RevokeKeysAsync(IReadOnlyList<string> keyIds);
}

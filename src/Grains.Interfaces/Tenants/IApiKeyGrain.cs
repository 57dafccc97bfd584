using Orleans.Concurrency;
using Platform.Grains.Interfaces.RateLimiting;

namespace Platform.Grains.Interfaces.Tenants;

/// <summary>
/// One tenant API key, keyed by its <c>key_…</c> id. It is the only holder of the key's hash, so a
/// revocation here is seen by every API replica on the next request.
/// </summary>
[Alias("platform.api_key")]
public interface IApiKeyGrain : IGrainWithStringKey
{
    [Alias("issue")]
    Task IssueAsync(string tenantId, ApiKeyRole role, string secret, DateTimeOffset created);

    /// <summary>The principal when the secret matches and the key is live; otherwise null.</summary>
    [Alias("verify")]
    Task<ApiKeyPrincipal?> VerifyAsync(string secret);

    /// <summary>
    /// Verifies, and only for a verified key takes the permit <paramref name="limit"/> names, in one call
    /// from the API: the request path's hottest pair of calls made one.
    /// </summary>
    // Interleaves: it only reads the key, and must not queue one hot key's requests behind the limiter call.
    [Alias("verify_and_limit"), AlwaysInterleave]
    Task<ApiKeyVerification> VerifyAsync(string secret, RateLimitRequest? limit);

    [Alias("revoke")]
    Task RevokeAsync();
}

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

    [Alias("revoke")]
    Task RevokeAsync();
}

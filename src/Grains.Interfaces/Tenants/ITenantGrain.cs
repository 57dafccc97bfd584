namespace Platform.Grains.Interfaces.Tenants;

/// <summary>One tenant (a business billing through us), keyed by its <c>ten_…</c> id.</summary>
[Alias("platform.tenant")]
public interface ITenantGrain : IGrainWithStringKey
{
    [Alias("create")]
    Task<TenantSnapshot> CreateAsync(TenantDraft draft);

    [Alias("get")]
    Task<TenantSnapshot?> GetAsync();

    [Alias("issue_api_key")]
    Task<IssuedApiKey> IssueApiKeyAsync(ApiKeyRole role);

    [Alias("list_api_keys")]
    Task<IReadOnlyList<ApiKeySummary>> ListApiKeysAsync();

    /// <summary>Revokes a key of this tenant; false when the tenant has no such key.</summary>
    [Alias("revoke_api_key")]
    Task<ApiKeySummary?> RevokeApiKeyAsync(string keyId);
}

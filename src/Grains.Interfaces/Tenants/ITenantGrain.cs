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

    /// <summary>
    /// The incident step: revokes every live API key of this tenant and every live key of its customers
    /// (only those issued before <paramref name="issuedBefore"/> when given), each audited, then pushes one
    /// tenant-wide notice to every API host before answering.
    /// </summary>
    [Alias("revoke_all_keys")]
    Task<TenantKeysRevocation> RevokeAllKeysAsync(DateTimeOffset? issuedBefore);

    /// <summary>Per-policy overrides of the platform's default rate limits (policy name → rule).</summary>
    [Alias("get_rate_limits")]
    Task<IReadOnlyDictionary<string, RateLimiting.RateLimitRule>> GetRateLimitsAsync();

    [Alias("set_rate_limits")]
    Task<IReadOnlyDictionary<string, RateLimiting.RateLimitRule>> SetRateLimitsAsync(IReadOnlyDictionary<string, RateLimiting.RateLimitRule> limits);

    /// <summary>The tenant's fraud limits on payments (<see cref="Payments.PaymentLimits.None"/> when unset).</summary>
    [Alias("get_payment_limits")]
    Task<Payments.PaymentLimits> GetPaymentLimitsAsync();

    /// <summary>Replaces the tenant's payment limits; audited.</summary>
    [Alias("set_payment_limits")]
    Task<Payments.PaymentLimits> SetPaymentLimitsAsync(Payments.PaymentLimits limits);
}

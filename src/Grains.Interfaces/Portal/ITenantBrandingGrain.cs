namespace Platform.Grains.Interfaces.Portal;

/// <summary>How a tenant's portal looks, keyed by the tenant id.</summary>
[Alias("platform.tenant_branding")]
public interface ITenantBrandingGrain : IGrainWithStringKey
{
    [Alias("set")]
    Task<TenantBranding> SetAsync(TenantBranding branding);

    /// <summary>The stored branding, or null when the tenant never set one.</summary>
    [Alias("get")]
    Task<TenantBranding?> GetAsync();
}

using Platform.Grains.Interfaces.Common;

namespace Platform.Grains.Interfaces.Tenants;

/// <summary>Lists tenants, newest first; a stateless worker over the platform's resource index.</summary>
[Alias("platform.tenant_directory")]
public interface ITenantDirectoryGrain : IGrainWithIntegerKey
{
    [Alias("list")]
    Task<Page<TenantSnapshot>> ListAsync(PageRequest request);
}

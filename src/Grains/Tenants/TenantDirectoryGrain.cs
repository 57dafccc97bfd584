using Orleans.Concurrency;
using Platform.Grains.Common;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Tenants;

namespace Platform.Grains.Tenants;

[StatelessWorker]
public sealed class TenantDirectoryGrain(ResourceIndex index) : Grain, ITenantDirectoryGrain
{
    public async Task<Page<TenantSnapshot>> ListAsync(PageRequest request)
    {
        var (ids, hasMore) = await index.PageAsync(ResourceKinds.PlatformScope, ResourceKinds.Tenant, request);
        var snapshots = await Task.WhenAll(ids.Select(id => GrainFactory.GetGrain<ITenantGrain>(id).GetAsync()));
        return new Page<TenantSnapshot>(snapshots.OfType<TenantSnapshot>().ToArray(), hasMore);
    }
}

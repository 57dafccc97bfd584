using Orleans.Concurrency;
using Platform.Grains.Common;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Customers;

namespace Platform.Grains.Customers;

[StatelessWorker]
public sealed class CustomerDirectoryGrain(ResourceIndex index) : Grain, ICustomerDirectoryGrain
{
    public async Task<Page<CustomerSnapshot>> ListAsync(PageRequest request)
    {
        var tenantId = this.GetPrimaryKeyString();
        var (ids, hasMore) = await index.PageAsync(tenantId, ResourceKinds.Customer, request);
        var snapshots = await Task.WhenAll(ids.Select(id =>
            GrainFactory.GetGrain<ICustomerGrain>(PlatformIds.CustomerKey(tenantId, id)).GetAsync()));
        return new Page<CustomerSnapshot>(snapshots.OfType<CustomerSnapshot>().ToArray(), hasMore);
    }
}

using Platform.Grains.Interfaces.Common;

namespace Platform.Grains.Interfaces.Customers;

/// <summary>Lists one tenant's customers, newest first; keyed by the tenant id.</summary>
[Alias("platform.customer_directory")]
public interface ICustomerDirectoryGrain : IGrainWithStringKey
{
    [Alias("list")]
    Task<Page<CustomerSnapshot>> ListAsync(PageRequest request);
}

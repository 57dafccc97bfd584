using Platform.Grains.Interfaces.Common;

namespace Platform.Grains.Interfaces.Payments;

/// <summary>
/// Lists payments newest first, from our own records (no Stripe call, no client secrets). Keyed by the
/// tenant id for all of a tenant's payments, or by <c>ten_…/cus_…</c> for one customer's.
/// </summary>
[Alias("platform.payment_directory")]
public interface IPaymentDirectoryGrain : IGrainWithStringKey
{
    [Alias("list")]
    Task<Page<PaymentSnapshot>> ListAsync(PageRequest request);

    /// <summary>A page of the payments that match <paramref name="filter"/> (status as on the wire: succeeded, requires_action…).</summary>
    [Alias("list_filtered")]
    Task<Page<PaymentSnapshot>> ListAsync(PageRequest request, ListFilter filter);
}

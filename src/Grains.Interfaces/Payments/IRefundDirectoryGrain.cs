using Platform.Grains.Interfaces.Common;

namespace Platform.Grains.Interfaces.Payments;

/// <summary>
/// Lists refunds newest first from our own records (no Stripe call), and finds one by id. Keyed by the tenant id
/// for all of a tenant's refunds, or by <c>ten_…/pay_…</c> for one payment's.
/// </summary>
[Alias("platform.refund_directory")]
public interface IRefundDirectoryGrain : IGrainWithStringKey
{
    /// <summary>A page of the refunds created in <paramref name="filter"/>'s window (its status is not used: refunds are not filtered by it).</summary>
    [Alias("list")]
    Task<Page<RefundSnapshot>> ListAsync(PageRequest request, ListFilter filter);

    /// <summary>The tenant's refund <paramref name="refundId"/>; null when it names none of the tenant's (or Stripe refused it).</summary>
    [Alias("get")]
    Task<RefundSnapshot?> GetAsync(string refundId);
}

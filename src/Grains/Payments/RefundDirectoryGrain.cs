using Orleans.Concurrency;
using Platform.Grains.Common;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Payments;

namespace Platform.Grains.Payments;

/// <summary>
/// Lists refunds from our own records: the index says which, in what order and of which payment; each payment's
/// PaymentIntentGrain says what. A refund Stripe refused is recorded but is no refund, and is left out.
/// Not PCI itself: it never sees Stripe.
/// </summary>
[StatelessWorker]
public sealed class RefundDirectoryGrain(ResourceIndex index) : Grain, IRefundDirectoryGrain
{
    public Task<Page<RefundSnapshot>> ListAsync(PageRequest request, ListFilter filter)
    {
        var scope = this.GetPrimaryKeyString();
        var tenantId = scope.Split('/')[0];
        // Keyed by a payment, the payment of every refund listed is the key's; keyed by the tenant, the index knows it.
        var paymentId = scope.Contains('/') ? PlatformIds.ParsePaymentKey(scope).PaymentId : null;
        return FilteredPages.ReadAsync(index, scope, ResourceKinds.Refund, request,
            refundId => LoadAsync(tenantId, refundId, paymentId),
            r => filter.Matches(r.Status, r.Created), r => r.Id);
    }

    public Task<RefundSnapshot?> GetAsync(string refundId) => LoadAsync(this.GetPrimaryKeyString().Split('/')[0], refundId, paymentId: null);

    private async Task<RefundSnapshot?> LoadAsync(string tenantId, string refundId, string? paymentId)
    {
        paymentId ??= await index.FindAsync(PlatformIds.RefundKey(tenantId, refundId), ResourceKinds.RefundPayment);
        return paymentId is null
            ? null
            : await GrainFactory.GetGrain<IPaymentIntentGrain>(PlatformIds.PaymentKey(tenantId, paymentId)).GetRefundAsync(refundId);
    }
}

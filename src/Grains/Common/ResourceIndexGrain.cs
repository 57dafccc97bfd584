using Orleans.Concurrency;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Placement;

namespace Platform.Grains.Common;

/// <summary>The resource index's door for the PCI side: the table, its kinds and its SQL stay core's alone.</summary>
[StatelessWorker, Reentrant, CoreOnly]
public sealed class ResourceIndexGrain(ResourceIndex index) : Grain, IResourceIndexGrain
{
    public async Task AddPaymentAsync(string tenantId, string customerId, string paymentId, DateTimeOffset created)
    {
        await index.AddAsync(tenantId, ResourceKinds.Payment, paymentId, created);
        await index.AddAsync(PlatformIds.CustomerKey(tenantId, customerId), ResourceKinds.Payment, paymentId, created);
    }

    public async Task AddRefundAsync(string tenantId, string paymentId, string refundId, DateTimeOffset created)
    {
        // The payment first: a refund listed is always one whose payment can be found.
        await index.AddAsync(PlatformIds.RefundKey(tenantId, refundId), ResourceKinds.RefundPayment, paymentId, created);
        await index.AddAsync(tenantId, ResourceKinds.Refund, refundId, created);
        await index.AddAsync(PlatformIds.PaymentKey(tenantId, paymentId), ResourceKinds.Refund, refundId, created);
    }

    public Task AddStripeObjectAsync(string stripeId, string ownerKey, DateTimeOffset created) =>
        index.AddAsync(stripeId, ResourceKinds.StripeObject, ownerKey, created);
}

namespace Platform.Grains.Interfaces.Common;

/// <summary>
/// How the PCI grains put their objects in the core side's resource index (a table only core code touches):
/// payments in a tenant's and a customer's lists, refunds in a tenant's and a payment's, and the Stripe ids we created, so that a Stripe event
/// without our metadata finds its owner. A stateless worker on core silos; every call is idempotent
/// (an id added twice keeps its first position).
/// </summary>
[Alias("platform.resource_index")]
public interface IResourceIndexGrain : IGrainWithIntegerKey
{
    /// <summary>Lists the payment under its tenant and under its customer (<c>ten_…/cus_…</c>).</summary>
    [Alias("add_payment")]
    Task AddPaymentAsync(string tenantId, string customerId, string paymentId, DateTimeOffset created);

    /// <summary>Lists the refund under its tenant and under its payment (<c>ten_…/pay_…</c>), and records its payment.</summary>
    [Alias("add_refund")]
    Task AddRefundAsync(string tenantId, string paymentId, string refundId, DateTimeOffset created);

    /// <summary>Records that the Stripe object <paramref name="stripeId"/> belongs to the grain keyed <paramref name="ownerKey"/>.</summary>
    [Alias("add_stripe_object")]
    Task AddStripeObjectAsync(string stripeId, string ownerKey, DateTimeOffset created);
}

namespace Platform.Grains.Pci.Outbound;

/// <summary>The metadata every Stripe object we create carries, so it can be traced back to its tenant and customer.</summary>
public static class StripeMetadata
{
    public const string TenantId = "tenant_id";
    public const string CustomerId = "customer_id";
    public const string PaymentId = "payment_id";
    public const string RefundId = "refund_id";

    public static Dictionary<string, string> For(string tenantId, string customerId, params (string Key, string Value)[] extra)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [TenantId] = tenantId,
            [CustomerId] = customerId,
        };
        foreach (var (key, value) in extra)
        {
            metadata[key] = value;
        }
        return metadata;
    }
}

namespace Platform.Grains.Common;

/// <summary>Kinds stored in the resource index; stored values, never renamed.</summary>
public static class ResourceKinds
{
    public const string Tenant = "tenant";
    public const string Customer = "customer";

    /// <summary>Payments, indexed under the tenant id and under the customer key (ten_…/cus_…).</summary>
    public const string Payment = "payment";

    /// <summary>Subscriptions, indexed under the tenant id by customer id (a customer holds one subscription grain).</summary>
    public const string Subscription = "subscription";

    /// <summary>Refunds, indexed under the tenant id and under their payment's key (ten_…/pay_…).</summary>
    public const string Refund = "refund";

    /// <summary>A refund's payment: under the refund key (ten_…/ref_…), the payment id (refund ids do not carry it).</summary>
    public const string RefundPayment = "refund_payment";

    /// <summary>
    /// Stripe objects we created (customers, payment intents, attached payment methods), indexed under the
    /// Stripe id with our owning grain's key as the id: how a Stripe event without our metadata finds its owner.
    /// </summary>
    public const string StripeObject = "stripe_object";

    /// <summary>The scope that holds platform-wide resources such as tenants.</summary>
    public const string PlatformScope = "platform";
}

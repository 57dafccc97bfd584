namespace Platform.Grains.StripeWebhooks;

public enum StripeEventOwner
{
    /// <summary>A type we do not act on: acknowledged, counted, marked processed (ignored).</summary>
    None = 0,

    /// <summary>PaymentIntentGrain, keyed ten_…/pay_….</summary>
    Payment = 1,

    /// <summary>PaymentMethodsGrain, keyed ten_…/cus_….</summary>
    PaymentMethods = 2,

    /// <summary>SubscriptionGrain, keyed ten_…/cus_….</summary>
    Subscription = 3,
}

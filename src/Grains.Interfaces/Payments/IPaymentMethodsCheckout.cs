namespace Platform.Grains.Interfaces.Payments;

/// <summary>
/// PCI (same key and activation as <see cref="IPaymentMethodsGrain"/>): a Stripe Checkout Session in
/// <c>setup</c> mode, where the customer enters a card on Stripe's page; Stripe saves it to the customer.
/// </summary>
[Alias("platform.payment_methods_checkout")]
public interface IPaymentMethodsCheckout : IGrainWithStringKey
{
    [Alias("create_setup_checkout")]
    Task<SetupCheckoutSnapshot> CreateSetupCheckoutAsync(string successUrl, string cancelUrl, string requestKey);
}

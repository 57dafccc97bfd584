using Platform.Grains.Interfaces.Payments;
using Platform.Grains.Pci.Outbound;
using Stripe.Checkout;

namespace Platform.Grains.Pci.PaymentMethods;

/// <summary>Adding a card on Stripe's hosted page (<see cref="IPaymentMethodsCheckout"/>): card data never reaches us.</summary>
public sealed partial class PaymentMethodsGrain
{
    public async Task<SetupCheckoutSnapshot> CreateSetupCheckoutAsync(string successUrl, string cancelUrl, string requestKey)
    {
        using var deadline = stripe.Deadline();
        var (tenantId, customerId) = Ids;
        var stripeCustomerId = await EnsureCustomerAsync(deadline.Token);
        var metadata = StripeMetadata.For(tenantId, customerId);
        var session = await stripe.SendAsync((client, ct) => client.V1.Checkout.Sessions.CreateAsync(new SessionCreateOptions
        {
            Mode = "setup",
            Customer = stripeCustomerId,
            Currency = "usd",
            SuccessUrl = successUrl,
            CancelUrl = cancelUrl,
            ClientReferenceId = customerId,
            Metadata = metadata,
            SetupIntentData = new SessionSetupIntentDataOptions { Metadata = metadata },
        }, StripeGateway.Idempotent(StripeIdempotencyKeys.For("setup_checkout", tenantId, customerId, requestKey)), ct), deadline.Token);
        return new SetupCheckoutSnapshot(session.Id, session.Url, StripeGateway.Time(session.ExpiresAt));
    }
}

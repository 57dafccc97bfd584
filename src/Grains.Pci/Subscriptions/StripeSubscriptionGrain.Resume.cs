using Platform.Grains.Interfaces.Subscriptions;
using Platform.Grains.Pci.Outbound;
using Stripe;

namespace Platform.Grains.Pci.Subscriptions;

/// <summary>Clears <c>cancel_at_period_end</c> at Stripe (<see cref="IStripeSubscriptionResumption"/>).</summary>
public sealed partial class StripeSubscriptionGrain
{
    public async Task ResumeAsync(string stripeSubscriptionId, string requestKey)
    {
        var (tenantId, customerId) = Ids;
        using var deadline = stripe.Deadline();
        await stripe.SendAsync((client, ct) => client.V1.Subscriptions.UpdateAsync(stripeSubscriptionId,
            new SubscriptionUpdateOptions { CancelAtPeriodEnd = false },
            StripeGateway.Idempotent(StripeIdempotencyKeys.For("subscription_resume", tenantId, customerId, stripeSubscriptionId, requestKey)),
            ct), deadline.Token);
    }
}

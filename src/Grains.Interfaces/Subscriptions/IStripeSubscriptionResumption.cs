namespace Platform.Grains.Interfaces.Subscriptions;

/// <summary>PCI (same key and activation as <see cref="IStripeSubscriptionGrain"/>): clears <c>cancel_at_period_end</c> at Stripe.</summary>
[Alias("platform.stripe_subscription_resumption")]
public interface IStripeSubscriptionResumption : IGrainWithStringKey
{
    [Alias("resume")]
    Task ResumeAsync(string stripeSubscriptionId, string requestKey);
}

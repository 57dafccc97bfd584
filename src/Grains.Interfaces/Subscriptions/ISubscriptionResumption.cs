namespace Platform.Grains.Interfaces.Subscriptions;

/// <summary>
/// Undoes a cancel at the period's end on the customer's subscription (same key and activation as
/// <see cref="ISubscriptionGrain"/>). Null when there is no subscription; a subscription already ended stays
/// ended (Conflict, <c>subscription_canceled</c>). A Stripe-managed one is resumed at Stripe, whose events follow.
/// </summary>
[Alias("platform.subscription_resumption")]
public interface ISubscriptionResumption : IGrainWithStringKey
{
    [Alias("resume")]
    Task<SubscriptionSnapshot?> ResumeAsync(string? requestKey = null);
}

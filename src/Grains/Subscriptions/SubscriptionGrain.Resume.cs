using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Subscriptions;
using Platform.Grains.Interfaces.Webhooks;

namespace Platform.Grains.Subscriptions;

/// <summary>Undoing a cancel at the period's end (<see cref="ISubscriptionResumption"/>): the portal's "keep my plan".</summary>
public sealed partial class SubscriptionGrain
{
    public async Task<SubscriptionSnapshot?> ResumeAsync(string? requestKey = null)
    {
        var state = subscription.State;
        if (state.StripeSubscriptionId is null || state.Status.Length == 0)
        {
            return null;
        }
        if (SubscriptionStatuses.IsSubscriptionFinal(state.Status))
        {
            throw new PlatformException(PlatformErrorKind.Conflict, "subscription_canceled", "A canceled subscription cannot be resumed; create a new one.");
        }
        if (!state.CancelAtPeriodEnd)
        {
            return await GetAsync();
        }
        if (IsManagedByStripe)
        {
            // Stripe's customer.subscription.updated that follows clears the flag in the mirror.
            await GrainFactory.GetGrain<IStripeSubscriptionResumption>(this.GetPrimaryKeyString())
                .ResumeAsync(state.StripeSubscriptionId, requestKey ?? NewRequestKey());
            return await GetAsync();
        }
        state.CancelAtPeriodEnd = false;
        state.CanceledAt = null;
        await CommitAsync(EventTypes.SubscriptionUpdated, await NowAsync(), await CurrentPlanAsync());
        return await GetAsync();
    }
}

using Platform.Grains.Interfaces.Webhooks;

namespace Platform.Grains.Subscriptions;

/// <summary>
/// The subscription as it was before a batch of Stripe events: decides, against the state after it, whether
/// the plan must be looked up again and which subscription event the tenant gets. Pure.
/// </summary>
public sealed record MirrorBaseline(string? SubscriptionId, string Status, string? PlanId, string? PriceId)
{
    public static MirrorBaseline Of(SubscriptionState state) =>
        new(state.StripeSubscriptionId, state.Status, state.PlanId, state.Items.FirstOrDefault()?.PriceId);

    /// <summary>
    /// A subscription on no plan of ours whose price did not change stays on none: the tenant's one catalog
    /// grain is not asked again for every event of every such subscription.
    /// </summary>
    public bool StaysWithoutPlan(SubscriptionState after) =>
        PlanId is null && Status.Length > 0 && SubscriptionId == after.StripeSubscriptionId && PriceId == after.Items.FirstOrDefault()?.PriceId;

    /// <summary>Ended: canceled; new (or a new subscription, or one after an ended one): created; else updated.</summary>
    public string EventTypeAfter(SubscriptionState after) =>
        SubscriptionStatuses.IsSubscriptionFinal(after.Status) ? EventTypes.SubscriptionCanceled
        : Status.Length == 0 || SubscriptionId != after.StripeSubscriptionId || SubscriptionStatuses.IsSubscriptionFinal(Status)
            ? EventTypes.SubscriptionCreated
            : EventTypes.SubscriptionUpdated;
}

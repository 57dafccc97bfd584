using Platform.Grains.Interfaces.Entitlements;
using Platform.Grains.Interfaces.Plans;
using Platform.Grains.Interfaces.Subscriptions;

namespace Platform.Grains.Subscriptions;

/// <summary>What others see of a <see cref="SubscriptionState"/>: the API's snapshot and the entitlements it grants. Pure.</summary>
public sealed class SubscriptionProjection
{
    /// <summary>The subscription as the API shows it; null before any subscription existed.</summary>
    public static SubscriptionSnapshot? Snapshot(string customerId, SubscriptionState state) =>
        state.StripeSubscriptionId is null || state.Status.Length == 0 ? null
            : new SubscriptionSnapshot(customerId, state.StripeSubscriptionId, state.Status,
                state.Items.ToArray(), Time(state.CurrentPeriodStart), Time(state.CurrentPeriodEnd), state.CancelAtPeriodEnd,
                Time(state.CanceledAt), Time(state.TrialEnd), state.LatestInvoiceId, state.LatestInvoiceStatus,
                Time(state.SubscriptionCreated > 0 ? state.SubscriptionCreated : null), state.Updated, Time(state.EndedAt), state.PlanId,
                SubscriptionMirror.IsManagedByStripe(state));

    /// <summary>The plan's entitlements for the current period while the subscription is live; null (nothing granted) otherwise.</summary>
    public static EntitlementGrant? Grant(SubscriptionState state, PlanSnapshot? plan, DateTimeOffset now) =>
        SubscriptionStatuses.IsLive(state.Status) && plan is not null
            ? new EntitlementGrant(plan.Id, state.Status, Time(state.CurrentPeriodStart) ?? now, Time(state.CurrentPeriodEnd) ?? now, plan.Definition.Entitlements)
            : null;

    public static DateTimeOffset? Time(long? unixSeconds) =>
        unixSeconds is { } seconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
}

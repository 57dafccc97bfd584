using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Plans;
using Platform.Grains.Interfaces.StripeWebhooks;
using Platform.Grains.Interfaces.Subscriptions;

namespace Platform.Grains.Subscriptions;

/// <summary>
/// Stripe's subscription, invoice and checkout events applied to a <see cref="SubscriptionState"/>, and
/// nothing else: no I/O, no clock. Order-proof: each event carries a version (<see cref="StripeEventVersion"/>)
/// and only a newer one changes state, except that an ended subscription (canceled, incomplete_expired)
/// stays ended whatever arrives later, and an ending event always applies. The final state is thus the
/// same whatever order, and however often, events arrive.
/// </summary>
/// <example>
/// sub_1 active (created 100, evt_a) then sub_1 past_due (created 90, evt_b): the second is
/// <see cref="StripeEventOutcome.Stale"/>, the state stays active. Then sub_1 canceled (created 80): applied
/// (an ending event always applies), and a later active (created 200) is stale: ended stays ended.
/// </example>
public sealed class SubscriptionMirror
{
    public const string SubscriptionObject = "subscription";
    public const string InvoiceObject = "invoice";
    public const string CheckoutSessionObject = "checkout.session";

    /// <summary>
    /// Sold through Checkout or only mirrored: it lives at Stripe, changes go there, and Stripe's events change
    /// it here. (A subscription mirrored before <see cref="SubscriptionState.ManagedByStripe"/> existed has no plan.)
    /// </summary>
    public static bool IsManagedByStripe(SubscriptionState state) => state.ManagedByStripe || state.PlanId is null;

    /// <summary>
    /// The change Stripe is asked for when a subscription living there moves to <paramref name="plan"/>
    /// (its one item onto the plan's price); refuses a missing or archived plan, or several items.
    /// </summary>
    public static StripePlanChange PlanChange(SubscriptionState state, PlanSnapshot? plan, PlanSnapshot? currentPlan, string prorationBehavior, string requestKey)
    {
        if (plan is null)
        {
            throw new PlatformException(PlatformErrorKind.InvalidRequest, "resource_missing", "No such plan.", "plan");
        }
        if (plan.Archived)
        {
            throw new PlatformException(PlatformErrorKind.InvalidRequest, "plan_archived", "This plan is archived and takes no new subscriptions.", "plan");
        }
        // The plan's flat price and the metered prices of its usage charges (Checkout sells them together); any other
        // item was added in Stripe's dashboard, and moving it is Stripe's to do.
        var current = currentPlan is null ? [] : new HashSet<string?>([currentPlan.StripePriceId, .. (currentPlan.StripeUsagePrices ?? []).Select(p => p.PriceId)]);
        if (state.Items.Count == 0 || (state.Items.Count > 1 && !state.Items.All(i => current.Contains(i.PriceId))))
        {
            throw new PlatformException(PlatformErrorKind.Conflict, "subscription_items_unsupported",
                "Only a Stripe subscription with the items of one plan (its price and its usage prices) can change plan here; change it in Stripe.");
        }
        return new StripePlanChange(state.StripeSubscriptionId!, state.Items[0].Id, plan.Id, prorationBehavior, requestKey,
            state.Items.Count > 1 ? [.. state.Items.Skip(1).Select(i => i.Id)] : null);
    }

    /// <summary>Applies one event; <see cref="StripeEventOutcome.Applied"/> when it changed the state.</summary>
    public StripeEventOutcome Apply(SubscriptionState state, StripeEventData stripeEvent)
    {
        var changed = stripeEvent.ObjectType switch
        {
            SubscriptionObject => ApplySubscription(state, stripeEvent),
            InvoiceObject => ApplyInvoice(state, stripeEvent),
            CheckoutSessionObject => ApplyCheckout(state, stripeEvent),
            _ => (bool?)null,
        };
        if (changed == true)
        {
            state.StripeCustomerId ??= stripeEvent.Customer;
        }
        return changed switch
        {
            null => StripeEventOutcome.Ignored,
            false => StripeEventOutcome.Stale,
            true => StripeEventOutcome.Applied,
        };
    }

    private static bool? ApplySubscription(SubscriptionState state, StripeEventData stripeEvent)
    {
        if (stripeEvent.ObjectId is not { } subscriptionId || stripeEvent.Status is not { Length: > 0 } status)
        {
            return null;
        }
        var created = stripeEvent.ObjectCreated ?? 0;
        if (!IsManagedByStripe(state) && state.StripeSubscriptionId != subscriptionId && !SubscriptionStatuses.IsSubscriptionFinal(state.Status))
        {
            // A live subscription created here on a plan is this customer's one subscription: a Stripe
            // subscription of the same customer is not mirrored over it (docs/PLANS.md).
            return null;
        }
        if (state.StripeSubscriptionId is { } current && current != subscriptionId && state.Status.Length > 0)
        {
            // Another subscription of this customer: the newest one (by its own creation) is the one mirrored.
            if ((created, subscriptionId).CompareTo((state.SubscriptionCreated, current)) < 0)
            {
                return false;
            }
            state.Status = "";
            state.SubscriptionVersion = StripeEventVersion.None;
        }
        var version = new StripeEventVersion(stripeEvent.Created, SubscriptionStatuses.SubscriptionRank(status), stripeEvent.Id);
        var wasFinal = state.Status.Length > 0 && SubscriptionStatuses.IsSubscriptionFinal(state.Status);
        var isFinal = SubscriptionStatuses.IsSubscriptionFinal(status);
        if ((wasFinal && !isFinal) || (wasFinal == isFinal && !version.IsAfter(state.SubscriptionVersion)))
        {
            return false;
        }
        state.StripeSubscriptionId = subscriptionId;
        state.ManagedByStripe = true;
        state.SubscriptionCreated = created;
        state.SubscriptionVersion = version;
        state.Status = status;
        state.Items = stripeEvent.Items.Select(i => new SubscriptionItemSnapshot(i.Id, i.PriceId, i.Quantity)).ToList();
        state.CurrentPeriodStart = stripeEvent.CurrentPeriodStart;
        state.CurrentPeriodEnd = stripeEvent.CurrentPeriodEnd;
        state.CancelAtPeriodEnd = stripeEvent.CancelAtPeriodEnd ?? false;
        state.CanceledAt = stripeEvent.CanceledAt;
        state.TrialEnd = stripeEvent.TrialEnd;
        state.EndedAt = stripeEvent.EndedAt;
        return true;
    }

    /// <summary>The newest invoice of the customer's subscriptions, with its furthest status.</summary>
    private static bool? ApplyInvoice(SubscriptionState state, StripeEventData stripeEvent)
    {
        if (stripeEvent.ObjectId is not { } invoiceId || stripeEvent.Status is not { Length: > 0 } status)
        {
            return null;
        }
        var created = stripeEvent.ObjectCreated ?? 0;
        if (state.LatestInvoiceId is { } latest && latest != invoiceId)
        {
            if ((created, invoiceId).CompareTo((state.LatestInvoiceCreated, latest)) < 0)
            {
                return false;
            }
            state.LatestInvoiceStatus = null;
            state.InvoiceVersion = StripeEventVersion.None;
        }
        var version = new StripeEventVersion(stripeEvent.Created, SubscriptionStatuses.InvoiceRank(status), stripeEvent.Id);
        var wasFinal = state.LatestInvoiceStatus is { } before && SubscriptionStatuses.IsInvoiceFinal(before);
        var isFinal = SubscriptionStatuses.IsInvoiceFinal(status);
        if ((wasFinal && !isFinal) || (wasFinal == isFinal && !version.IsAfter(state.InvoiceVersion)))
        {
            return false;
        }
        state.LatestInvoiceId = invoiceId;
        state.LatestInvoiceCreated = created;
        state.LatestInvoiceStatus = status;
        state.InvoiceVersion = version;
        return true;
    }

    /// <summary>A completed checkout names the subscription it created; its own events bring the rest.</summary>
    private static bool? ApplyCheckout(SubscriptionState state, StripeEventData stripeEvent)
    {
        if (stripeEvent.Subscription is not { } subscriptionId)
        {
            return null;
        }
        if (state.StripeSubscriptionId is not null)
        {
            return false;
        }
        state.StripeSubscriptionId = subscriptionId;
        state.CheckoutSessionId = stripeEvent.ObjectId;
        return true;
    }
}

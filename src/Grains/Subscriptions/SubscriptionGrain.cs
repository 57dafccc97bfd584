using Platform.Grains.Common;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Customers;
using Platform.Grains.Interfaces.StripeWebhooks;
using Platform.Grains.Interfaces.Subscriptions;

namespace Platform.Grains.Subscriptions;

/// <summary>
/// A customer's subscription, mirrored from Stripe's events. Order-proof: each event carries a version
/// (<see cref="StripeEventVersion"/>) and only a newer one changes state, except that an ended
/// subscription (canceled, incomplete_expired) stays ended whatever arrives later, and an ending event
/// always applies. The final state is thus the same whatever order, and however often, events arrive.
/// Plans, entitlements and licenses will build on this grain.
/// </summary>
public sealed class SubscriptionGrain(
    [PersistentState(SubscriptionGrain.StateName, PlatformStorage.Name)] IPersistentState<SubscriptionState> subscription,
    TimeProvider clock) : Grain, ISubscriptionGrain
{
    public const string StateName = "subscription";

    private bool _customerKnown;

    private string CustomerId => PlatformIds.ParseCustomerKey(this.GetPrimaryKeyString()).CustomerId;

    public async Task<StripeEventOutcome> ApplyStripeEventAsync(StripeEventData stripeEvent)
    {
        await RequireCustomerAsync();
        var changed = stripeEvent.ObjectType switch
        {
            "subscription" => ApplySubscription(stripeEvent),
            "invoice" => ApplyInvoice(stripeEvent),
            "checkout.session" => ApplyCheckout(stripeEvent),
            _ => (bool?)null,
        };
        if (changed is null)
        {
            return StripeEventOutcome.Ignored;
        }
        if (changed == false)
        {
            return StripeEventOutcome.Stale;
        }
        subscription.State.StripeCustomerId ??= stripeEvent.Customer;
        subscription.State.Updated = clock.GetUtcNow();
        await subscription.WriteStateAsync();
        return StripeEventOutcome.Applied;
    }

    public Task<SubscriptionSnapshot?> GetAsync()
    {
        var state = subscription.State;
        if (state.StripeSubscriptionId is null || state.Status.Length == 0)
        {
            return Task.FromResult<SubscriptionSnapshot?>(null);
        }
        return Task.FromResult<SubscriptionSnapshot?>(new SubscriptionSnapshot(CustomerId, state.StripeSubscriptionId, state.Status,
            state.Items.ToArray(), Time(state.CurrentPeriodStart), Time(state.CurrentPeriodEnd), state.CancelAtPeriodEnd,
            Time(state.CanceledAt), Time(state.TrialEnd), state.LatestInvoiceId, state.LatestInvoiceStatus,
            Time(state.SubscriptionCreated > 0 ? state.SubscriptionCreated : null), state.Updated, Time(state.EndedAt)));
    }

    /// <summary>
    /// Stripe can tell us of a customer before our own record of it is readable (or of one we never had):
    /// refuse, so the event stays pending and the sweeper retries it, rather than mirror it onto nobody.
    /// </summary>
    private async Task RequireCustomerAsync()
    {
        if (_customerKnown)
        {
            return;
        }
        if (await GrainFactory.GetGrain<ICustomerGrain>(this.GetPrimaryKeyString()).GetAsync() is null)
        {
            throw new PlatformException(PlatformErrorKind.NotFound, "customer_missing",
                "The event names a customer this platform does not know (yet).", "customer");
        }
        _customerKnown = true;
    }

    private bool? ApplySubscription(StripeEventData stripeEvent)
    {
        if (stripeEvent.ObjectId is not { } subscriptionId || stripeEvent.Status is not { Length: > 0 } status)
        {
            return null;
        }
        var state = subscription.State;
        var created = stripeEvent.ObjectCreated ?? 0;
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
    private bool? ApplyInvoice(StripeEventData stripeEvent)
    {
        if (stripeEvent.ObjectId is not { } invoiceId || stripeEvent.Status is not { Length: > 0 } status)
        {
            return null;
        }
        var state = subscription.State;
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
    private bool? ApplyCheckout(StripeEventData stripeEvent)
    {
        var state = subscription.State;
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

    private static DateTimeOffset? Time(long? unixSeconds) =>
        unixSeconds is { } seconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
}

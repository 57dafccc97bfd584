using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Plans;
using Platform.Grains.Interfaces.StripeWebhooks;
using Platform.Grains.Interfaces.Subscriptions;
using Platform.Grains.Subscriptions;

namespace Platform.Unit.Tests.Grains.Subscriptions;

/// <summary>The worked examples of <see cref="SubscriptionMirror"/>: the final state is the same whatever order events arrive in.</summary>
public sealed class SubscriptionMirrorTests
{
    private readonly SubscriptionMirror _mirror = new();

    private static StripeEventData Subscription(string eventId, long created, string status, string id = "sub_1", long objectCreated = 10) => new()
    {
        Id = eventId,
        Type = "customer.subscription.updated",
        Created = created,
        ObjectType = SubscriptionMirror.SubscriptionObject,
        ObjectId = id,
        ObjectCreated = objectCreated,
        Status = status,
        Customer = "cus_stripe",
        Items = [new StripeEventItem("si_1", "price_1", 1)],
        CurrentPeriodStart = 1_000,
        CurrentPeriodEnd = 2_000,
    };

    private static StripeEventData Invoice(string eventId, long created, string status, string id = "in_1", long objectCreated = 10) => new()
    {
        Id = eventId, Type = "invoice.updated", Created = created, ObjectType = SubscriptionMirror.InvoiceObject,
        ObjectId = id, ObjectCreated = objectCreated, Status = status,
    };

    [Fact]
    public void Apply_OlderEventAfterNewer_IsStaleAndChangesNothing()
    {
        var state = new SubscriptionState();

        Assert.Equal(StripeEventOutcome.Applied, _mirror.Apply(state, Subscription("evt_a", 100, SubscriptionStatuses.Active)));
        Assert.Equal(StripeEventOutcome.Stale, _mirror.Apply(state, Subscription("evt_b", 90, SubscriptionStatuses.PastDue)));

        Assert.Equal(SubscriptionStatuses.Active, state.Status);
        Assert.Equal("sub_1", state.StripeSubscriptionId);
        Assert.Equal("cus_stripe", state.StripeCustomerId);
        Assert.True(state.ManagedByStripe);
        Assert.Equal("price_1", Assert.Single(state.Items).PriceId);
        Assert.Equal((1_000L, 2_000L), (state.CurrentPeriodStart!.Value, state.CurrentPeriodEnd!.Value));
    }

    [Fact]
    public void Apply_EndedSubscription_StaysEndedWhateverArrivesLater()
    {
        var state = new SubscriptionState();
        _mirror.Apply(state, Subscription("evt_a", 100, SubscriptionStatuses.Active));

        // An ending event always applies, even an older one; after it, a newer live one does not.
        Assert.Equal(StripeEventOutcome.Applied, _mirror.Apply(state, Subscription("evt_c", 80, SubscriptionStatuses.Canceled)));
        Assert.Equal(StripeEventOutcome.Stale, _mirror.Apply(state, Subscription("evt_d", 200, SubscriptionStatuses.Active)));

        Assert.Equal(SubscriptionStatuses.Canceled, state.Status);
    }

    [Fact]
    public void Apply_SameEventsInEveryOrder_EndInTheSameState()
    {
        StripeEventData[] events =
        [
            Subscription("evt_1", 100, SubscriptionStatuses.Trialing),
            Subscription("evt_2", 100, SubscriptionStatuses.Active),
            Subscription("evt_3", 150, SubscriptionStatuses.PastDue),
            Subscription("evt_4", 150, SubscriptionStatuses.PastDue),
        ];
        int[][] orders = [[0, 1, 2, 3], [3, 2, 1, 0], [1, 3, 0, 2], [2, 0, 3, 1, 2, 0]];
        var finals = orders.Select(order =>
        {
            var state = new SubscriptionState();
            foreach (var i in order)
            {
                _mirror.Apply(state, events[i]);
            }
            return (state.Status, state.SubscriptionVersion.EventId);
        }).Distinct().ToArray();

        // Within one second the further status wins, and between equal ones the event id decides.
        Assert.Equal((SubscriptionStatuses.PastDue, "evt_4"), Assert.Single(finals));
    }

    [Fact]
    public void Apply_OtherSubscriptionOfTheCustomer_TheNewerByCreationIsMirrored()
    {
        var state = new SubscriptionState();
        _mirror.Apply(state, Subscription("evt_a", 100, SubscriptionStatuses.Active, id: "sub_new", objectCreated: 50));

        Assert.Equal(StripeEventOutcome.Stale, _mirror.Apply(state, Subscription("evt_b", 300, SubscriptionStatuses.Active, id: "sub_old", objectCreated: 40)));
        Assert.Equal(StripeEventOutcome.Applied, _mirror.Apply(state, Subscription("evt_c", 90, SubscriptionStatuses.Trialing, id: "sub_newer", objectCreated: 60)));

        Assert.Equal(("sub_newer", SubscriptionStatuses.Trialing), (state.StripeSubscriptionId, state.Status));
    }

    [Fact]
    public void Apply_StripeSubscriptionOverALivePlanSubscriptionMadeHere_IsIgnored()
    {
        var state = new SubscriptionState { StripeSubscriptionId = "sub_here", PlanId = "plan_1", Status = SubscriptionStatuses.Active };

        Assert.Equal(StripeEventOutcome.Ignored, _mirror.Apply(state, Subscription("evt_a", 100, SubscriptionStatuses.Active)));
        Assert.Equal("sub_here", state.StripeSubscriptionId);
        Assert.False(state.ManagedByStripe);
    }

    [Fact]
    public void Apply_Invoices_TheNewestInvoiceWithItsFurthestStatus()
    {
        var state = new SubscriptionState();

        Assert.Equal(StripeEventOutcome.Applied, _mirror.Apply(state, Invoice("evt_a", 100, SubscriptionStatuses.InvoiceOpen)));
        Assert.Equal(StripeEventOutcome.Applied, _mirror.Apply(state, Invoice("evt_b", 100, SubscriptionStatuses.InvoicePaid)));
        // Paid is final: an open that Stripe sent later (by its clock) does not reopen it.
        Assert.Equal(StripeEventOutcome.Stale, _mirror.Apply(state, Invoice("evt_c", 120, SubscriptionStatuses.InvoiceOpen)));
        // An older invoice of the customer is not mirrored over a newer one.
        Assert.Equal(StripeEventOutcome.Stale, _mirror.Apply(state, Invoice("evt_d", 130, SubscriptionStatuses.InvoiceDraft, id: "in_0", objectCreated: 5)));
        Assert.Equal(StripeEventOutcome.Applied, _mirror.Apply(state, Invoice("evt_e", 140, SubscriptionStatuses.InvoiceDraft, id: "in_2", objectCreated: 20)));

        Assert.Equal(("in_2", SubscriptionStatuses.InvoiceDraft), (state.LatestInvoiceId, state.LatestInvoiceStatus));
    }

    [Fact]
    public void Apply_Checkout_NamesTheSubscriptionOnlyWhenNoneIsKnown()
    {
        var state = new SubscriptionState();
        var checkout = new StripeEventData
        {
            Id = "evt_a", Type = "checkout.session.completed", ObjectType = SubscriptionMirror.CheckoutSessionObject,
            ObjectId = "cs_1", Subscription = "sub_9",
        };

        Assert.Equal(StripeEventOutcome.Applied, _mirror.Apply(state, checkout));
        Assert.Equal(StripeEventOutcome.Stale, _mirror.Apply(state, checkout with { Id = "evt_b", Subscription = "sub_10" }));
        Assert.Equal(StripeEventOutcome.Ignored, _mirror.Apply(state, checkout with { Id = "evt_c", Subscription = null }));

        Assert.Equal(("sub_9", "cs_1"), (state.StripeSubscriptionId, state.CheckoutSessionId));
        Assert.Equal(string.Empty, state.Status);
    }

    [Fact]
    public void Apply_OtherObjectTypes_AreIgnored() =>
        Assert.Equal(StripeEventOutcome.Ignored, _mirror.Apply(new SubscriptionState(),
            new StripeEventData { Id = "evt_a", Type = "payment_intent.succeeded", ObjectType = "payment_intent", ObjectId = "pi_1", Status = "succeeded" }));

    [Fact]
    public void PlanChange_RefusesArchivedPlansAndSeveralItems()
    {
        var plan = new PlanSnapshot("plan_pro", new PlanDraft("pro", "Pro", PlanInterval.Month, "usd", 2_000, [], 0, []), false, DateTimeOffset.UnixEpoch, 0);
        var state = new SubscriptionState { StripeSubscriptionId = "sub_1", Items = [new("si_1", "price_1", 1)] };

        Assert.Equal(new StripePlanChange("sub_1", "si_1", "plan_pro", "none", "key"), SubscriptionMirror.PlanChange(state, plan, null, "none", "key"));
        Assert.Equal("plan_archived", Assert.Throws<PlatformException>(() => SubscriptionMirror.PlanChange(state, plan with { Archived = true }, null, "none", "key")).Code);
        Assert.Equal("resource_missing", Assert.Throws<PlatformException>(() => SubscriptionMirror.PlanChange(state, null, null, "none", "key")).Code);
        state.Items.Add(new("si_2", "price_2", 1));
        Assert.Equal("subscription_items_unsupported", Assert.Throws<PlatformException>(() => SubscriptionMirror.PlanChange(state, plan, null, "none", "key")).Code);
    }
}

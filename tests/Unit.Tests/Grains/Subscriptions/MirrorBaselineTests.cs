using Platform.Grains.Interfaces.Webhooks;
using Platform.Grains.Subscriptions;

namespace Platform.Unit.Tests.Grains.Subscriptions;

public sealed class MirrorBaselineTests
{
    private static SubscriptionState State(string id, string status, string? price = "price_1") => new()
    {
        StripeSubscriptionId = id, Status = status, Items = price is null ? [] : [new("si_1", price, 1)],
    };

    [Theory]
    [InlineData("", "sub_1", "active", EventTypes.SubscriptionCreated)]
    [InlineData("active", "sub_1", "past_due", EventTypes.SubscriptionUpdated)]
    [InlineData("active", "sub_2", "active", EventTypes.SubscriptionCreated)]
    [InlineData("canceled", "sub_1", "active", EventTypes.SubscriptionCreated)]
    [InlineData("active", "sub_1", "canceled", EventTypes.SubscriptionCanceled)]
    [InlineData("active", "sub_1", "incomplete_expired", EventTypes.SubscriptionCanceled)]
    public void EventTypeAfter_CreatedUpdatedOrCanceled(string before, string afterId, string after, string expected) =>
        Assert.Equal(expected, MirrorBaseline.Of(State("sub_1", before)).EventTypeAfter(State(afterId, after)));

    [Fact]
    public void StaysWithoutPlan_OnlyWhenNothingThatMapsToAPlanChanged()
    {
        var before = MirrorBaseline.Of(State("sub_1", SubscriptionStatuses.Active));

        Assert.True(before.StaysWithoutPlan(State("sub_1", SubscriptionStatuses.PastDue)));
        Assert.False(before.StaysWithoutPlan(State("sub_1", SubscriptionStatuses.Active, "price_2")));
        Assert.False(before.StaysWithoutPlan(State("sub_2", SubscriptionStatuses.Active)));
        Assert.False(MirrorBaseline.Of(new SubscriptionState()).StaysWithoutPlan(State("sub_1", SubscriptionStatuses.Active)));
        Assert.False((before with { PlanId = "plan_pro" }).StaysWithoutPlan(State("sub_1", SubscriptionStatuses.Active)));
    }
}

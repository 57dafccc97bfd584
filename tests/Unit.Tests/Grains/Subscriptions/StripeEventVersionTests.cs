using Platform.Grains.Subscriptions;

namespace Platform.Unit.Tests.Grains.Subscriptions;

public sealed class StripeEventVersionTests
{
    [Fact]
    public void IsAfter_OrdersByCreatedThenStatusRankThenEventId()
    {
        var active = new StripeEventVersion(100, SubscriptionStatuses.SubscriptionRank("active"), "evt_b");

        Assert.True(new StripeEventVersion(101, 1, "evt_a").IsAfter(active));
        Assert.False(new StripeEventVersion(99, 9, "evt_z").IsAfter(active));
        Assert.True(new StripeEventVersion(100, SubscriptionStatuses.SubscriptionRank("canceled"), "evt_a").IsAfter(active));
        Assert.True(new StripeEventVersion(100, active.Rank, "evt_c").IsAfter(active));
        Assert.False(active.IsAfter(active));
        Assert.True(active.IsAfter(StripeEventVersion.None));
    }

    [Theory]
    [InlineData("canceled", true)]
    [InlineData("incomplete_expired", true)]
    [InlineData("active", false)]
    [InlineData("past_due", false)]
    public void IsSubscriptionFinal_OnlyEndedStatuses(string status, bool final) =>
        Assert.Equal(final, SubscriptionStatuses.IsSubscriptionFinal(status));
}

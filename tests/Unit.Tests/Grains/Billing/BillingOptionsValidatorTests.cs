using Platform.Grains.Entitlements;
using Platform.Grains.Subscriptions;

namespace Platform.Unit.Tests.Grains.Billing;

public sealed class BillingOptionsValidatorTests
{
    [Theory]
    [InlineData(0.8, true)]
    [InlineData(1.0, true)]
    [InlineData(0.0, false)]
    [InlineData(1.5, false)]
    [InlineData(-0.1, false)]
    public void Validate_ThresholdShare_MustBeWithinZeroToOne(double share, bool valid) =>
        Assert.Equal(valid, new EntitlementOptionsValidator().Validate(null, new EntitlementOptions { ThresholdShare = share }).Succeeded);

    [Fact]
    public void Validate_ZeroReminderPeriod_Fails()
    {
        var validator = new SubscriptionOptionsValidator();
        Assert.True(validator.Validate(null, new SubscriptionOptions()).Succeeded);
        Assert.False(validator.Validate(null, new SubscriptionOptions { ReminderPeriod = TimeSpan.Zero }).Succeeded);
        Assert.False(validator.Validate(null, new SubscriptionOptions { TrialWillEndNotice = TimeSpan.FromDays(-1) }).Succeeded);
    }
}

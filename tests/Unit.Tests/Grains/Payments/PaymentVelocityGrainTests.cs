using Platform.Grains.Interfaces.Payments;
using Platform.Grains.Payments;

namespace Platform.Unit.Tests.Grains.Payments;

public sealed class PaymentVelocityGrainTests
{
    private static readonly DateTimeOffset _now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly Dictionary<string, long> _noAmounts = [];

    [Fact]
    public void Exceeds_CountBelowTheLimit_Allows()
    {
        var reservations = Payments((50, 100, "usd"), (10, 100, "usd"));

        Assert.Null(PaymentVelocityGrain.Exceeds(VelocityLimit.HourlyOf(3, _noAmounts), reservations, _now, 100, "usd"));
    }

    [Fact]
    public void Exceeds_CountAtTheLimit_RefusesUntilTheOldestLeavesTheWindow()
    {
        // Minutes ago: 50, 30, 10; the one from 90 minutes ago is outside the hour.
        var reservations = Payments((90, 100, "usd"), (50, 100, "usd"), (30, 100, "usd"), (10, 100, "usd"));

        var decision = PaymentVelocityGrain.Exceeds(VelocityLimit.HourlyOf(3, _noAmounts), reservations, _now, 100, "usd");

        Assert.NotNull(decision);
        Assert.Equal("hourly_count", decision.ExceededLimit);
        Assert.Equal(TimeSpan.FromMinutes(10), decision.RetryAfter);
    }

    [Fact]
    public void Exceeds_AmountOverTheLimit_RefusesUntilEnoughHasLeftAndIgnoresOtherCurrencies()
    {
        var reservations = Payments((20 * 60, 400, "usd"), (10 * 60, 400, "usd"), (5 * 60, 10_000, "eur"), (60, 100, "usd"));
        var limit = VelocityLimit.DailyOf(null, new Dictionary<string, long> { ["usd"] = 1000 });

        var decision = PaymentVelocityGrain.Exceeds(limit, reservations, _now, 300, "usd");
        var fits = PaymentVelocityGrain.Exceeds(limit, reservations, _now, 100, "usd");
        var euros = PaymentVelocityGrain.Exceeds(limit, reservations, _now, 1_000_000, "eur");

        Assert.NotNull(decision);
        Assert.Equal("daily_amount", decision.ExceededLimit);
        // 900 + 300 > 1000; once the 400 from 20 hours ago leaves (in 4 hours) 500 + 300 fits.
        Assert.Equal(TimeSpan.FromHours(4), decision.RetryAfter);
        Assert.Null(fits);
        Assert.Null(euros);
    }

    [Fact]
    public void Exceeds_SinglePaymentLargerThanTheWindowAmount_RefusesForTheWholeWindow()
    {
        var decision = PaymentVelocityGrain.Exceeds(VelocityLimit.HourlyOf(null, new Dictionary<string, long> { ["usd"] = 500 }), [], _now, 501, "usd");

        Assert.NotNull(decision);
        Assert.Equal(TimeSpan.FromHours(1), decision.RetryAfter);
    }

    private static VelocityReservation[] Payments(params (int MinutesAgo, long Amount, string Currency)[] payments) =>
        payments.Select((p, i) => new VelocityReservation($"pay_{i}", _now.AddMinutes(-p.MinutesAgo), p.Amount, p.Currency, Committed: true)).ToArray();
}

using System.Globalization;
using Platform.Grains.Billing;
using Platform.Grains.Interfaces.Plans;
using Platform.Grains.Invoices;

namespace Platform.Unit.Tests.Grains.Invoices;

/// <summary>The rounding rules of docs/INVOICES.md on worked examples: tiers unrounded, each line rounded once, subtotal = sum of lines.</summary>
public sealed class InvoiceCalculatorTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 3, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset End = Start.AddMonths(1);

    // 0–100 at 10, 101–1000 at 5 plus 200 once, beyond at 0.5 (fractional minor units).
    private static readonly UsageCharge Graduated = new("api_calls", PricingModel.Graduated, null, null, null,
        [new(100, 10, 0), new(1000, 5, 200), new(null, 0, 0)]);

    private static readonly InvoicePricing Pricing = new("Pro", "usd", 2_000, [
        Graduated,
        new UsageCharge("gb", PricingModel.PerUnit, 3, null, null, []),
    ]);

    [Fact]
    public void Lines_FlatFeeAndGraduatedUsage_KeepTiersAndSumToSubtotal()
    {
        var lines = InvoiceCalculator.Lines("in_test", Pricing, new Dictionary<string, decimal> { ["api_calls"] = 1500, ["gb"] = 12.5m }, Start, End, trial: false);

        Assert.Equal(3, lines.Count);
        Assert.Equal(("subscription", 2_000L), (lines[0].Type, lines[0].Amount));
        var usage = lines[1];
        Assert.Equal(("usage", "api_calls", 1500m), (usage.Type, usage.Metric, usage.Quantity));
        // 100 × 10 + (900 × 5 + 200) + 500 × 0 = 1000 + 4700 + 0
        Assert.Equal([(0, 100m, 1000m), (1, 900m, 4700m), (2, 500m, 0m)], usage.Tiers.Select(t => (t.Index, t.Units, t.Amount)).ToArray());
        Assert.Equal(5_700, usage.Amount);
        // 12.5 × 3 = 37.5 → 38 (half away from zero, once, on the line)
        Assert.Equal(38, lines[2].Amount);
        Assert.Equal(2_000 + 5_700 + 38, InvoiceCalculator.Subtotal(lines));
        Assert.Equal(lines.Sum(l => l.Amount), InvoiceCalculator.Subtotal(lines));
        Assert.Equal(lines.Select(l => l.Id).Distinct().Count(), lines.Count);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("0.05", 1)]   // 0.5 → 1
    [InlineData("0.04", 0)]   // 0.4 → 0
    [InlineData("100.1", 1201)] // 1000 + 0.1 × 5 + 200 = 1200.5 → 1201
    public void Lines_FractionalQuantities_RoundTheLineOnceHalfAwayFromZero(string quantity, long expected)
    {
        var q = decimal.Parse(quantity, CultureInfo.InvariantCulture);
        var charge = quantity == "0.05" || quantity == "0.04"
            ? new UsageCharge("api_calls", PricingModel.PerUnit, 10, null, null, [])
            : Graduated;
        var lines = InvoiceCalculator.Lines("in_test", Pricing with { Charges = [charge] }, new Dictionary<string, decimal> { ["api_calls"] = q }, Start, End, false);
        Assert.Equal(expected, lines[1].Amount);
        Assert.Equal(PriceCalculator.Amount(charge, q), lines[1].Amount);
    }

    [Fact]
    public void Lines_TierSharesSummedThenRounded_EqualPriceCalculator()
    {
        foreach (var quantity in new[] { 1m, 99.5m, 100m, 100.3m, 999.9m, 1000m, 1000.5m, 123456.789m })
        {
            var tiers = PriceCalculator.TiersUsed(Graduated, quantity);
            Assert.Equal(quantity, tiers.Sum(t => t.Units));
            Assert.Equal(PriceCalculator.Amount(Graduated, quantity), (long)decimal.Round(tiers.Sum(t => t.Amount), 0, MidpointRounding.AwayFromZero));
        }
    }

    [Fact]
    public void TiersUsed_Volume_IsTheOneTierTheWholeQuantityFallsInto()
    {
        var volume = Graduated with { Model = PricingModel.Volume };
        var tier = Assert.Single(PriceCalculator.TiersUsed(volume, 150));
        Assert.Equal((1, 150m, 5 * 150m + 200), (tier.Index, tier.Units, tier.Amount));
        Assert.Equal(2, Assert.Single(PriceCalculator.TiersUsed(volume, 5000)).Index);
        Assert.Empty(PriceCalculator.TiersUsed(volume, 0));
    }

    [Fact]
    public void Lines_Trial_PricesEverythingAtZeroButShowsTheUsage()
    {
        var lines = InvoiceCalculator.Lines("in_test", Pricing, new Dictionary<string, decimal> { ["api_calls"] = 50 }, Start, End, trial: true);
        Assert.All(lines, l => Assert.Equal(0, l.Amount));
        Assert.Equal(50m, lines[1].Quantity);
        Assert.Equal(0m, lines[2].Quantity);
        Assert.Equal(0, InvoiceCalculator.Subtotal(lines));
    }

    [Fact]
    public void Lines_NoUsage_AreZeroLinesBesideTheFlatFee()
    {
        var lines = InvoiceCalculator.Lines("in_test", Pricing, new Dictionary<string, decimal>(), Start, End, false);
        Assert.Equal([2_000L, 0L, 0L], lines.Select(l => l.Amount).ToArray());
        Assert.Empty(lines[1].Tiers);
    }
}

using Platform.Grains.Billing;
using Platform.Grains.Interfaces.Plans;

namespace Platform.Unit.Tests.Grains.Billing;

/// <summary>The worked examples of docs/PLANS.md, one model at a time, then graduated against volume on the same usage.</summary>
public sealed class PriceCalculatorTests
{
    private static readonly PriceTier[] Tiers = [new(100, 10, 0), new(1000, 5, 0), new(null, 2, 0)];

    private static UsageCharge Tiered(PricingModel model, params PriceTier[] tiers) => new("api_calls", model, null, null, null, tiers);

    [Theory]
    [InlineData("0", 0)]
    [InlineData("1", 3)]
    [InlineData("1000", 3000)]
    [InlineData("12.5", 38)]
    [InlineData("12.1", 36)]
    public void Amount_PerUnit_IsQuantityTimesUnitAmountRoundedOnce(string quantity, long expected) =>
        Assert.Equal(expected, PriceCalculator.Amount(new UsageCharge("api_calls", PricingModel.PerUnit, 3, null, null, []), decimal.Parse(quantity, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 500)]
    [InlineData(100, 500)]
    [InlineData(101, 1000)]
    [InlineData(250, 1500)]
    public void Amount_Package_RoundsUpToWholePackages(long quantity, long expected) =>
        Assert.Equal(expected, PriceCalculator.Amount(new UsageCharge("gb", PricingModel.Package, null, 100, 500, []), quantity));

    [Theory]
    [InlineData(0, 0)]
    [InlineData(50, 500)]
    [InlineData(100, 1000)]
    [InlineData(101, 1005)]
    [InlineData(1500, 6500)]
    public void Amount_Graduated_PricesEachTiersOwnUnits(long quantity, long expected) =>
        Assert.Equal(expected, PriceCalculator.Amount(Tiered(PricingModel.Graduated, Tiers), quantity));

    [Theory]
    [InlineData(0, 0)]
    [InlineData(50, 500)]
    [InlineData(100, 1000)]
    [InlineData(101, 505)]
    [InlineData(1500, 3000)]
    public void Amount_Volume_PricesEveryUnitAtTheReachedTier(long quantity, long expected) =>
        Assert.Equal(expected, PriceCalculator.Amount(Tiered(PricingModel.Volume, Tiers), quantity));

    [Fact]
    public void Amount_SameUsage_GraduatedAndVolumeDiffer()
    {
        var graduated = PriceCalculator.Amount(Tiered(PricingModel.Graduated, Tiers), 1500);
        var volume = PriceCalculator.Amount(Tiered(PricingModel.Volume, Tiers), 1500);
        Assert.Equal(100 * 10 + 900 * 5 + 500 * 2, graduated);
        Assert.Equal(1500 * 2, volume);
    }

    [Fact]
    public void Amount_FlatAmounts_ChargedOncePerTierReached()
    {
        PriceTier[] withFlat = [new(10, 100, 1000), new(null, 50, 2000)];
        Assert.Equal(1000 + 5 * 100, PriceCalculator.Amount(Tiered(PricingModel.Graduated, withFlat), 5));
        Assert.Equal(1000 + 10 * 100 + 2000 + 5 * 50, PriceCalculator.Amount(Tiered(PricingModel.Graduated, withFlat), 15));
        Assert.Equal(2000 + 15 * 50, PriceCalculator.Amount(Tiered(PricingModel.Volume, withFlat), 15));
    }

    [Fact]
    public void Amount_NegativeQuantity_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PriceCalculator.Amount(Tiered(PricingModel.Volume, Tiers), -1));
}

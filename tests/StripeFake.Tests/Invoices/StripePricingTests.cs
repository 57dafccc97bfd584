using System.Text.Json.Nodes;
using Platform.StripeFake.Invoices;

namespace Platform.StripeFake.Tests.Invoices;

/// <summary>Worked examples of Stripe's line pricing (docs.stripe.com/subscriptions/pricing-models/tiered-pricing and transform_quantity).</summary>
public sealed class StripePricingTests
{
    // Stripe's tiered-pricing example: 1–5 at 7 USD, 6–10 at 6.50 USD, 11+ at 6 USD.
    private static readonly (long? UpTo, long? Unit, long? Flat)[] _fonts = [(5, 700, null), (10, 650, null), (null, 600, null)];

    [Theory]
    [InlineData(1, 700)]
    [InlineData(5, 3_500)]
    [InlineData(6, 3_900)]
    [InlineData(20, 12_000)]
    [InlineData(25, 15_000)]
    public void Amount_Volume_PricesEveryUnitAtTheTierOfTheWholeQuantity(long quantity, long expected) =>
        Assert.Equal(expected, StripePricing.Amount(Tiered("volume", _fonts), quantity));

    [Theory]
    [InlineData(5, 3_500)]
    [InlineData(6, 4_150)] // 5 × 700 + 1 × 650
    [InlineData(10, 6_750)] // 5 × 700 + 5 × 650
    [InlineData(20, 12_750)] // 3 500 + 3 250 + 10 × 600
    public void Amount_Graduated_PricesEachTiersUnitsAtThatTier(long quantity, long expected) =>
        Assert.Equal(expected, StripePricing.Amount(Tiered("graduated", _fonts), quantity));

    [Theory]
    [InlineData(0, 20_000)] // the base fee in the first tier is due without usage
    [InlineData(1_000, 20_000)]
    [InlineData(1_500, 22_000)] // + 500 × 4
    public void Amount_GraduatedWithFlatFirstTier_ChargesTheBaseFeeAndOverage(long quantity, long expected) =>
        Assert.Equal(expected, StripePricing.Amount(Tiered("graduated", [(1_000, 0, 20_000), (null, 4, null)]), quantity));

    [Theory]
    [InlineData(0, 100)] // 0 units fall into the first tier: its flat amount only
    [InlineData(10, 600)] // 10 × 50 + 100
    [InlineData(11, 440)] // 11 × 40, the second tier has no flat amount
    public void Amount_VolumeWithFlatAmounts_AddsTheFlatAmountOfTheChosenTier(long quantity, long expected) =>
        Assert.Equal(expected, StripePricing.Amount(Tiered("volume", [(10, 50, 100), (null, 40, null)]), quantity));

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1_234, 30_850)]
    public void Amount_PerUnit_MultipliesTheQuantity(long quantity, long expected) =>
        Assert.Equal(expected, StripePricing.Amount(PerUnit("25"), quantity));

    [Theory]
    [InlineData("up", 1_000, 500)] // exactly one package
    [InlineData("up", 1_001, 1_000)] // a started package counts whole
    [InlineData("up", 1_500, 1_000)]
    [InlineData("down", 1_500, 500)] // only complete packages count
    [InlineData("down", 999, 0)]
    [InlineData("up", 0, 0)]
    public void Amount_TransformQuantity_DividesThenRoundsTheQuantity(string round, long quantity, long expected) =>
        Assert.Equal(expected, StripePricing.Amount(PerUnit("500", new JsonObject { ["divide_by"] = 1_000, ["round"] = round }), quantity));

    [Theory]
    [InlineData("0.5", "3", 2)] // 1.5 rounds half away from zero
    [InlineData("0.5", "5", 3)] // 2.5 too
    [InlineData("0.25", "9", 2)] // 2.25
    [InlineData("12", "2.5", 30)] // a fractional meter total
    public void Amount_DecimalUnitAmountOrQuantity_RoundsOnceToTheMinorUnit(string unitAmountDecimal, string quantity, long expected) =>
        Assert.Equal(expected, StripePricing.Amount(PerUnit(unitAmountDecimal), decimal.Parse(quantity, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Amount_GraduatedDecimalTiers_RoundsTheLineNotEachTier()
    {
        var price = Tiered("graduated", []);
        price["tiers"] = new JsonArray(
            new JsonObject { ["up_to"] = 100, ["unit_amount_decimal"] = "0.25" },
            new JsonObject { ["up_to"] = null, ["unit_amount_decimal"] = "0.1" });

        Assert.Equal(30, StripePricing.Amount(price, 150)); // 25 + 5
        Assert.Equal(25, StripePricing.Amount(price, 101)); // 25.1
        Assert.Equal(26, StripePricing.Amount(price, 105)); // 25.5
    }

    private static JsonObject PerUnit(string unitAmountDecimal, JsonObject? transform = null) => new()
    {
        ["billing_scheme"] = "per_unit",
        ["unit_amount_decimal"] = unitAmountDecimal,
        ["transform_quantity"] = transform,
    };

    private static JsonObject Tiered(string mode, (long? UpTo, long? Unit, long? Flat)[] tiers) => new()
    {
        ["billing_scheme"] = "tiered",
        ["tiers_mode"] = mode,
        ["tiers"] = new JsonArray([.. tiers.Select(t => (JsonNode)new JsonObject
        {
            ["up_to"] = t.UpTo,
            ["unit_amount"] = t.Unit,
            ["unit_amount_decimal"] = t.Unit?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["flat_amount"] = t.Flat,
            ["flat_amount_decimal"] = t.Flat?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        })]),
    };
}

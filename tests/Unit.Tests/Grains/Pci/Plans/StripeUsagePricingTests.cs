using Platform.Grains.Interfaces.Plans;
using Platform.Grains.Pci.Plans;

namespace Platform.Unit.Tests.Grains.Pci.Plans;

public sealed class StripeUsagePricingTests
{
    private static PlanDraft Plan(UsageCharge charge, int trialDays = 0) => new("p", "P", PlanInterval.Month, "usd", 1000, [charge], trialDays, []);

    [Fact]
    public void PriceOptions_Package_IsPerUnitWithTransformQuantityRoundedUp()
    {
        var options = StripeUsagePricing.PriceOptions(new UsageCharge("gb", PricingModel.Package, null, 100, 500, []), Plan(new UsageCharge("gb", PricingModel.Package, null, 100, 500, [])),
            "prod_1", "mtr_1", []);

        Assert.Equal(("per_unit", 500L, 100L, "up"), (options.BillingScheme, options.UnitAmount!.Value, options.TransformQuantity.DivideBy!.Value, options.TransformQuantity.Round));
        Assert.Equal(("metered", "mtr_1", "month"), (options.Recurring.UsageType, options.Recurring.Meter, options.Recurring.Interval));
    }

    [Theory]
    [InlineData(PricingModel.Graduated, "graduated")]
    [InlineData(PricingModel.Volume, "volume")]
    public void PriceOptions_Tiered_CarriesTheTiersAndTheirMode(PricingModel model, string mode)
    {
        var charge = new UsageCharge("api_calls", model, null, null, null, [new PriceTier(100, 10, 0), new PriceTier(1000, 5, 200), new PriceTier(null, 2, 0)]);

        var options = StripeUsagePricing.PriceOptions(charge, Plan(charge), "prod_1", "mtr_1", []);

        Assert.Equal(("tiered", mode), (options.BillingScheme, options.TiersMode));
        Assert.Equal([10L, 5L, 2L], options.Tiers.Select(t => t.UnitAmount!.Value).ToArray());
        Assert.Equal([null, 200L, null], options.Tiers.Select(t => t.FlatAmount).ToArray());
        Assert.Null(options.UnitAmount);
    }

    [Fact]
    public void Refusal_FirstTierFlatAmount_OrUsageWithATrial_NamesTheField()
    {
        var flatFirst = new UsageCharge("api_calls", PricingModel.Volume, null, null, null, [new PriceTier(10, 100, 1000), new PriceTier(null, 50, 0)]);
        var later = new UsageCharge("api_calls", PricingModel.Graduated, null, null, null, [new PriceTier(10, 100, 0), new PriceTier(null, 50, 2000)]);

        Assert.Equal(("plan_not_expressible_at_stripe", "usage_charges[0][tiers][0][flat_amount]"),
            (StripeUsagePricing.Refusal(Plan(flatFirst))!.Code, StripeUsagePricing.Refusal(Plan(flatFirst))!.Param));
        Assert.Equal("trial_days", StripeUsagePricing.Refusal(Plan(later, trialDays: 14))!.Param);
        Assert.Null(StripeUsagePricing.Refusal(Plan(later)));
    }
}

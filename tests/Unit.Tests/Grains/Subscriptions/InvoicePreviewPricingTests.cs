using Platform.Grains.Interfaces.Billing;
using Platform.Grains.Interfaces.Plans;
using Platform.Grains.Interfaces.Usage;
using Platform.Grains.Subscriptions;

namespace Platform.Unit.Tests.Grains.Subscriptions;

/// <summary>The worked example of <see cref="InvoicePreviewPricing"/>: "pro" at 2,000 usd a month, api_calls at 2 a call.</summary>
public sealed class InvoicePreviewPricingTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 14, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset End = new(2026, 4, 14, 10, 0, 0, TimeSpan.Zero);

    private static readonly PlanSnapshot Pro = new("plan_pro", new PlanDraft("pro", "Pro", PlanInterval.Month, "usd", 2_000,
        [new UsageCharge("api_calls", PricingModel.PerUnit, 2, null, null, []), new UsageCharge("gb", PricingModel.Package, null, 10, 500, [])],
        0, []), false, Start, 1);

    private static SubscriptionState State(string status) => new()
    {
        StripeSubscriptionId = "sub_1", PlanId = "plan_pro", Status = status,
        CurrentPeriodStart = Start.ToUnixTimeSeconds(), CurrentPeriodEnd = End.ToUnixTimeSeconds(),
    };

    private static UsageSummary Usage(decimal apiCalls) =>
        new(Start, End, true, [new MetricUsage("api_calls", apiCalls, 3, apiCalls, apiCalls, new Dictionary<string, long>())]);

    [Fact]
    public void UsageQuery_IsTheSubscriptionsOwnPeriod()
    {
        Assert.Equal(new UsageQuery(null, Start, End), InvoicePreviewPricing.UsageQuery(State(SubscriptionStatuses.Active)));
        Assert.Equal(new UsageQuery(null, null, null), InvoicePreviewPricing.UsageQuery(new SubscriptionState()));
    }

    [Fact]
    public void Price_Active_FlatPlusEachUsageChargeByPriceCalculator()
    {
        var preview = InvoicePreviewPricing.Price("cus_1", State(SubscriptionStatuses.Active), Pro, Usage(150));

        Assert.Equal(
            [new InvoiceLine("Pro (flat)", null, 1, 2_000), new InvoiceLine("api_calls usage", "api_calls", 150, 300), new InvoiceLine("gb usage", "gb", 0, 0)],
            preview.Lines);
        Assert.Equal(("cus_1", "sub_1", "plan_pro", "usd", 2_300L), (preview.CustomerId, preview.SubscriptionId, preview.PlanId, preview.Currency, preview.Total));
        Assert.Equal((Start, End), (preview.PeriodStart, preview.PeriodEnd));
    }

    [Fact]
    public void Price_Trialing_ShowsTheUsagePricedAtZero()
    {
        var preview = InvoicePreviewPricing.Price("cus_1", State(SubscriptionStatuses.Trialing), Pro, Usage(150));

        Assert.Equal([new InvoiceLine("Pro (trial)", null, 1, 0), new InvoiceLine("api_calls usage", "api_calls", 150, 0), new InvoiceLine("gb usage", "gb", 0, 0)],
            preview.Lines);
        Assert.Equal(0, preview.Total);
    }

    [Fact]
    public void Price_NegativeUsage_IsPricedAsNoneButShown()
    {
        var preview = InvoicePreviewPricing.Price("cus_1", State(SubscriptionStatuses.Active), Pro, Usage(-5));

        Assert.Equal(new InvoiceLine("api_calls usage", "api_calls", -5, 0), preview.Lines[1]);
        Assert.Equal(2_000, preview.Total);
    }

    [Fact]
    public void Price_WithoutUsage_TakesTheSubscriptionsPeriod()
    {
        var preview = InvoicePreviewPricing.Price("cus_1", State(SubscriptionStatuses.PastDue), Pro with { Definition = Pro.Definition with { Name = null } }, null);

        Assert.Equal(new InvoiceLine("pro (flat)", null, 1, 2_000), preview.Lines[0]);
        Assert.Equal((Start, End, 2_000L), (preview.PeriodStart, preview.PeriodEnd, preview.Total));
    }
}

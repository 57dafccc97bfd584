using Platform.Grains.Interfaces.Adjustments;
using Platform.Grains.Interfaces.Invoices;
using Platform.Grains.Invoices;

namespace Platform.Unit.Tests.Grains.Invoices;

/// <summary>The adjustment rules of docs/INVOICES.md ("Rounding") on worked examples, each sum checked by hand.</summary>
public sealed class InvoiceAdjustmentsTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    internal static InvoiceLineItem Line(long amount, string type = "subscription", string? plan = "plan_a", int n = 0) =>
        new($"il_{n}", type, "line", null, 1, amount, null, [], Start, Start.AddMonths(1), PlanId: plan);

    internal static TaxRateSnapshot Rate(string id, decimal percent, bool inclusive) => new(id, id, percent, inclusive, null, null, true, Start);

    private static ChargeLine Charge(InvoiceLineItem line, params TaxRateSnapshot[] rates) => new(line, rates);

    [Fact]
    public void PercentOff_IsRoundedOnceAndSharedExactlyOverTheLines()
    {
        // 20 % of 333 + 333 + 334 = 200 exactly; 15 % of 999 + 1 = 150.
        var totals = InvoiceAdjustments.Compute(new([Charge(Line(999, n: 0)), Charge(Line(1, n: 1))], new("co_x", 15m, null, []), 0, []));

        Assert.Equal(150, totals.TotalDiscount);
        Assert.Equal([150L, 0L], totals.Lines.Select(l => l.DiscountAmount).ToArray());
        Assert.Equal(850, totals.Total);
        Assert.Equal(850, totals.AmountDue);
    }

    [Fact]
    public void Discount_SkipsCreditLinesAndOtherPlans()
    {
        var lines = new[] { Charge(Line(1_000, plan: "plan_a", n: 0)), Charge(Line(2_000, plan: "plan_b", n: 1)), Charge(Line(-500, "invoiceitem", "plan_a", 2)) };

        var totals = InvoiceAdjustments.Compute(new(lines, new("co_x", 50m, null, ["plan_a"]), 0, []));

        Assert.Equal([500L, 0L, 0L], totals.Lines.Select(l => l.DiscountAmount).ToArray());
        Assert.Equal(2_500, totals.Subtotal);
        Assert.Equal(2_000, totals.Total);
    }

    [Fact]
    public void AmountOff_IsCappedAtTheEligibleAmount()
    {
        var totals = InvoiceAdjustments.Compute(new([Charge(Line(300))], new("co_x", null, 1_000, []), 0, []));

        Assert.Equal(300, totals.TotalDiscount);
        Assert.Equal(0, totals.Total);
        Assert.Equal(0, totals.AmountDue);
    }

    [Fact]
    public void ExclusiveAndInclusiveTax_OnOneInvoice()
    {
        // Exclusive 19 % on 1,050: 199.5 → 200 added. Inclusive 20 % in 1,000: net 833.33 → 833, tax 167, inside the amount.
        var totals = InvoiceAdjustments.Compute(new(
            [Charge(Line(1_050, n: 0), Rate("txr_de", 19m, false)), Charge(Line(1_000, "invoiceitem", n: 1), Rate("txr_uk", 20m, true))], null, 0, []));

        Assert.Equal(new InvoiceLineTax("txr_de", 19m, false, 1_050, 200), Assert.Single(totals.Lines[0].Taxes));
        Assert.Equal(new InvoiceLineTax("txr_uk", 20m, true, 833, 167), Assert.Single(totals.Lines[1].Taxes));
        Assert.Equal(2_050, totals.Subtotal);
        Assert.Equal(367, totals.Tax);
        Assert.Equal(2_050 + 200, totals.Total);
        Assert.Equal(2_050 - 167, totals.TotalExcludingTax);
    }

    [Fact]
    public void Tax_IsOnTheAmountAfterTheDiscount()
    {
        var totals = InvoiceAdjustments.Compute(new([Charge(Line(1_000), Rate("txr_a", 10m, false))], new("co_x", 25m, null, []), 0, []));

        Assert.Equal(750, totals.Lines[0].Taxes[0].TaxableAmount);
        Assert.Equal(75, totals.Tax);
        Assert.Equal(1_000 - 250 + 75, totals.Total);
    }

    [Fact]
    public void TwoInclusiveRates_SplitTheirTaxExactly()
    {
        // 1,000 inside 5 % + 9.975 % (GST + QST): net 1000 × 100 / 114.975 = 869.75 → 870, tax 130 shared 5 : 9.975.
        var totals = InvoiceAdjustments.Compute(new([Charge(Line(1_000), Rate("txr_gst", 5m, true), Rate("txr_qst", 9.975m, true))], null, 0, []));

        var taxes = totals.Lines[0].Taxes;
        Assert.Equal(130, taxes.Sum(t => t.Amount));
        Assert.Equal([43L, 87L], taxes.Select(t => t.Amount).ToArray());
        Assert.Equal(1_000, totals.Total);
        Assert.Equal(870, totals.TotalExcludingTax);
    }

    [Fact]
    public void CreditGrants_AreSpentByPriorityThenExpiry_AndMeteredOnlyOnUsage()
    {
        var grants = new CreditGrantBalance[]
        {
            new("credgr_late", 10_000, CreditGrantScopes.All, 50, null, Start),
            new("credgr_soon", 300, CreditGrantScopes.All, 50, Start.AddDays(5), Start.AddDays(1)),
            new("credgr_usage", 5_000, CreditGrantScopes.Metered, 10, null, Start.AddDays(2)),
        };
        var totals = InvoiceAdjustments.Compute(new([Charge(Line(2_000, n: 0)), Charge(Line(700, "usage", n: 1))], null, 0, grants));

        Assert.Equal([("credgr_usage", 700L), ("credgr_soon", 300L), ("credgr_late", 1_700L)],
            totals.GrantsUsed.Select(u => (u.CreditGrantId, u.Amount)).ToArray());
        Assert.Equal(2_700, totals.CreditsApplied);
        Assert.Equal(0, totals.AmountDue);
    }

    [Fact]
    public void CreditBalance_PaysWhatIsLeft_AndADebitIsAdded()
    {
        var credit = InvoiceAdjustments.Compute(new([Charge(Line(1_000))], null, -1_500, []));
        Assert.Equal((-500L, 0L), (credit.EndingBalance, credit.AmountDue));

        var partial = InvoiceAdjustments.Compute(new([Charge(Line(1_000))], null, -400, []));
        Assert.Equal((0L, 600L), (partial.EndingBalance, partial.AmountDue));

        var debit = InvoiceAdjustments.Compute(new([Charge(Line(1_000))], null, 250, []));
        Assert.Equal((0L, 1_250L), (debit.EndingBalance, debit.AmountDue));
    }

    [Fact]
    public void NegativeTotal_GoesToTheBalance_NothingDue()
    {
        // A downgrade's proration: credit 2,000 for the old plan's unused time, charge 500 on the new one.
        var totals = InvoiceAdjustments.Compute(new([Charge(Line(-2_000, "invoiceitem", n: 0)), Charge(Line(500, "invoiceitem", n: 1))], null, 0, []));

        Assert.Equal(-1_500, totals.Total);
        Assert.Equal((-1_500L, 0L), (totals.EndingBalance, totals.AmountDue));
    }

    [Fact]
    public void Allocate_SharesAddUpAndRespectWeights()
    {
        Assert.Equal([34L, 33L, 33L], InvoiceAdjustments.Allocate(100, [1, 1, 1]));
        Assert.Equal([0L, 0L], InvoiceAdjustments.Allocate(0, [5, 5]));
        Assert.Equal([1L, 2L], InvoiceAdjustments.Allocate(3, [1, 2]));
    }

    [Theory]
    [InlineData(0.5, 1)]
    [InlineData(-0.5, -1)]
    [InlineData(1.49, 1)]
    [InlineData(-2.5, -3)]
    public void Round_IsHalfAwayFromZero(double value, long expected) => Assert.Equal(expected, InvoiceAdjustments.Round((decimal)value));
}

using CsCheck;
using Platform.Grains.Interfaces.Adjustments;
using Platform.Grains.Invoices;

namespace Platform.Unit.Tests.Grains.Invoices;

/// <summary>
/// Random invoices (plans' flat fees, usage, proration credits, coupons, inclusive and exclusive taxes, credit grants,
/// balances of either sign, credit notes) against the invariants that no money appears or vanishes (CsCheck: thousands of
/// cases, shrunk to the smallest failing one).
/// </summary>
public sealed class InvoiceAdjustmentsPropertyTests
{
    private static readonly Gen<TaxRateSnapshot[]> Rates =
        Gen.Select(Gen.Int[0, 2], Gen.Bool, Gen.Int[0, 300_000]).Select((count, inclusive, basisPoints) =>
            Enumerable.Range(0, count).Select(i => InvoiceAdjustmentsTests.Rate($"txr_{i}", (basisPoints + i * 1_234) % 300_000 / 10_000m, inclusive)).ToArray());

    private static readonly Gen<ChargeLine> Line =
        Gen.Select(Gen.Long[-50_000, 5_000_000], Gen.OneOf(Gen.Const("subscription"), Gen.Const("usage"), Gen.Const("invoiceitem")), Gen.OneOf(Gen.Const<string?>("plan_a"), Gen.Const<string?>("plan_b"), Gen.Const((string?)null)), Rates)
            .Select((amount, type, plan, rates) => new ChargeLine(InvoiceAdjustmentsTests.Line(type == "invoiceitem" ? amount : Math.Abs(amount), type, plan), rates));

    private static readonly Gen<InvoiceDiscount?> Discount = Gen.Frequency(
        (2, Gen.Const((InvoiceDiscount?)null)),
        (2, Gen.Int[1, 10_000].Select(bp => (InvoiceDiscount?)new InvoiceDiscount("co_p", bp / 100m, null, []))),
        (1, Gen.Long[1, 3_000_000].Select(off => (InvoiceDiscount?)new InvoiceDiscount("co_a", null, off, ["plan_a"]))));

    private static readonly Gen<CreditGrantBalance> Grant =
        Gen.Select(Gen.Long[0, 2_000_000], Gen.Bool, Gen.Int[0, 100], Gen.Int[0, 400]).Select((remaining, metered, priority, days) =>
            new CreditGrantBalance($"credgr_{priority}_{days}_{remaining}", remaining, metered ? CreditGrantScopes.Metered : CreditGrantScopes.All, priority,
                days > 200 ? null : DateTimeOffset.UnixEpoch.AddDays(days), DateTimeOffset.UnixEpoch));

    private static readonly Gen<AdjustmentInputs> Inputs =
        Gen.Select(Line.Array[0, 8], Discount, Gen.Long[-3_000_000, 1_000_000], Grant.Array[0, 4])
            .Select((lines, discount, balance, grants) => new AdjustmentInputs(lines.Select((l, i) => l with { Line = l.Line with { Id = $"il_{i}" } }).ToArray(),
                discount, balance, grants));

    [Fact]
    public void Totals_KeepEveryInvariant() => Inputs.Sample(inputs =>
    {
        var t = InvoiceAdjustments.Compute(inputs);

        Assert.Equal(inputs.Lines.Sum(l => l.Line.Amount), t.Subtotal);
        Assert.Equal(t.Lines.Sum(l => l.DiscountAmount), t.TotalDiscount);
        Assert.Equal(t.Lines.Sum(l => l.Taxes.Sum(x => x.Amount)), t.Tax);
        Assert.Equal(t.Subtotal - t.TotalDiscount + t.ExclusiveTax, t.Total);
        Assert.Equal(t.Total - t.Tax, t.TotalExcludingTax);
        Assert.Equal(t.Total - t.CreditsApplied + t.StartingBalance - t.EndingBalance, t.AmountDue);
        Assert.Equal(t.GrantsUsed.Sum(u => u.Amount), t.CreditsApplied);
        Assert.True(t.AmountDue >= 0, "amount_due is never negative");
        Assert.True(t.TotalDiscount >= 0 && t.CreditsApplied >= 0, "discounts and credits are never negative");
        Assert.True(t.CreditsApplied <= Math.Max(t.Total, 0), "credits never pay more than the total");
        foreach (var use in t.GrantsUsed)
        {
            Assert.True(use.Amount > 0 && use.Amount <= inputs.Grants.Where(g => g.Id == use.CreditGrantId).Max(g => g.Remaining), "a grant spends at most what it has");
        }
        for (var i = 0; i < t.Lines.Count; i++)
        {
            var line = t.Lines[i];
            Assert.True(line.DiscountAmount >= 0 && line.DiscountAmount <= Math.Max(line.Amount, 0), "a line's discount is within its amount");
            var inclusive = line.Taxes.Where(x => x.Inclusive).Sum(x => x.Amount);
            Assert.All(line.Taxes, x => Assert.Equal(line.Amount - line.DiscountAmount - inclusive, x.TaxableAmount));
            Assert.All(line.Taxes, x => Assert.True(Math.Sign(x.Amount) * Math.Sign(x.TaxableAmount) >= 0, "tax has its line's sign"));
        }
        if (t.StartingBalance < 0 && t.Total - t.CreditsApplied > 0)
        {
            Assert.True(t.EndingBalance <= 0 && t.EndingBalance >= t.StartingBalance, "a credit balance is spent, never grown, by a positive invoice");
        }
    }, iter: 5_000);

    [Fact]
    public void CreditNotes_NeverExceedTheTotal_AndTheBalanceLedgerSumsUp() =>
        Gen.Select(Inputs, Gen.Long[0, 3_000_000].Array[0, 6]).Sample((inputs, requested) =>
        {
            var t = InvoiceAdjustments.Compute(inputs);
            var ledger = new List<long> { inputs.StartingBalance };
            long credited = 0;
            foreach (var amount in requested)
            {
                var allowed = CreditNoteRules.Creditable(Math.Max(t.Total, 0), credited);
                if (amount == 0 || amount > allowed)
                {
                    Assert.NotNull(CreditNoteRules.Refusal(amount, Math.Max(t.Total, 0), credited));
                    continue;
                }
                Assert.Null(CreditNoteRules.Refusal(amount, Math.Max(t.Total, 0), credited));
                credited += amount;
                ledger.Add(-amount);
            }
            Assert.True(credited <= Math.Max(t.Total, 0), "credit notes never exceed the invoice's total");
            var running = 0L;
            foreach (var entry in ledger)
            {
                running += entry;
            }
            Assert.Equal(inputs.StartingBalance - credited, running);
        }, iter: 2_000);
}

using Platform.Grains.Interfaces.Adjustments;
using Platform.Grains.Interfaces.Invoices;

namespace Platform.Grains.Invoices;

/// <summary>A line to total, with the tax rates that apply to it (its own, else the invoice's defaults; none when exempt).</summary>
public sealed record ChargeLine(InvoiceLineItem Line, IReadOnlyList<TaxRateSnapshot> TaxRates);

/// <summary>What an invoice's totals are made from, besides its lines: discount, the customer's balance and credit grants.</summary>
public sealed record AdjustmentInputs(
    IReadOnlyList<ChargeLine> Lines,
    InvoiceDiscount? Discount,
    long StartingBalance,
    IReadOnlyList<CreditGrantBalance> Grants);

/// <summary>An invoice's lines with their discounts and taxes, and every total (minor units; see <see cref="InvoiceAdjustments"/>).</summary>
public sealed record InvoiceTotals(
    IReadOnlyList<InvoiceLineItem> Lines,
    long Subtotal,
    long TotalDiscount,
    long Tax,
    long ExclusiveTax,
    long TotalExcludingTax,
    long Total,
    long CreditsApplied,
    IReadOnlyList<CreditGrantUse> GrantsUsed,
    long StartingBalance,
    long EndingBalance,
    long AmountDue);

/// <summary>
/// An invoice's totals from its lines, discount, taxes, credit grants and the customer's balance. Pure: the property
/// tests run it over random invoices. The rules (docs/INVOICES.md, "Rounding"), all in integer minor units:
/// <list type="number">
/// <item>subtotal = Σ line amounts (a proration credit is negative).</item>
/// <item>Discount: over the eligible lines (positive amount; of the coupon's plans if it names any). Percent off is
///   rounded half away from zero once on their sum; amount off is capped at that sum. The discount is shared out over
///   the eligible lines in proportion to their amounts by largest remainder, so the lines' shares add up exactly.</item>
/// <item>Tax, per line on (amount − its discount), each rate rounded half away from zero per line (as Stripe):
///   inclusive rates are split out of that amount (net = round(base × 100 / (100 + Σ inclusive %)), inclusive tax =
///   base − net, shared over the inclusive rates by largest remainder), so net + tax equals the amount exactly;
///   exclusive rates are charged on the net and added.</item>
/// <item>total = subtotal − discount + exclusive tax; total_excluding_tax = subtotal − discount − inclusive tax.</item>
/// <item>Credit grants, when total &gt; 0: by priority, soonest expiry, oldest; a <c>metered</c> grant pays only for
///   usage lines (their amount after discount plus their exclusive tax).</item>
/// <item>Balance (Stripe's sign: negative is credit the customer holds): a credit pays what the grants left; a debit
///   is added to the amount due; a negative total is credited to the balance and nothing is due.</item>
/// </list>
/// Always: amount_due = total − credits_applied + starting_balance − ending_balance, and amount_due ≥ 0.
/// </summary>
public static class InvoiceAdjustments
{
    /// <summary>The line type of an invoice item (a one-off charge or a proration), as Stripe's <c>invoiceitem</c>.</summary>
    public const string InvoiceItemLine = "invoiceitem";

    public static InvoiceTotals Compute(AdjustmentInputs inputs)
    {
        var lines = inputs.Lines;
        var discounts = Discounts(lines, inputs.Discount);
        var totalled = new List<InvoiceLineItem>(lines.Count);
        long subtotal = 0, discount = 0, inclusive = 0, exclusive = 0, usageDue = 0;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i].Line;
            var taxes = Taxes(line.Amount - discounts[i], lines[i].TaxRates);
            var lineExclusive = taxes.Where(t => !t.Inclusive).Sum(t => t.Amount);
            subtotal += line.Amount;
            discount += discounts[i];
            inclusive += taxes.Where(t => t.Inclusive).Sum(t => t.Amount);
            exclusive += lineExclusive;
            if (line.Type == InvoiceCalculator.UsageLine)
            {
                usageDue += line.Amount - discounts[i] + lineExclusive;
            }
            totalled.Add(line with { DiscountAmount = discounts[i], TaxAmounts = taxes });
        }
        var total = subtotal - discount + exclusive;
        var (credits, used) = SpendGrants(inputs.Grants, total, Math.Max(usageDue, 0));
        var (ending, due) = ApplyBalance(inputs.StartingBalance, total - credits);
        return new InvoiceTotals(totalled, subtotal, discount, inclusive + exclusive, exclusive, subtotal - discount - inclusive, total,
            credits, used, inputs.StartingBalance, ending, due);
    }

    /// <summary>Rounds half away from zero to whole minor units: the one rounding rule for money here.</summary>
    public static long Round(decimal amount) => (long)Math.Round(amount, 0, MidpointRounding.AwayFromZero);

    /// <summary>
    /// Shares <paramref name="total"/> (≥ 0) over <paramref name="weights"/> (≥ 0) in proportion, by largest remainder:
    /// each gets the floor of its exact share and the units left go to the largest fractions (earliest first on a tie).
    /// The shares add up to <paramref name="total"/> exactly, and none exceeds its weight when total ≤ Σ weights.
    /// </summary>
    public static long[] Allocate(long total, IReadOnlyList<long> weights)
    {
        var shares = new long[weights.Count];
        var sum = weights.Sum();
        if (total == 0 || sum == 0)
        {
            return shares;
        }
        var fractions = new decimal[weights.Count];
        long given = 0;
        for (var i = 0; i < weights.Count; i++)
        {
            var exact = (decimal)total * weights[i] / sum;
            shares[i] = (long)decimal.Floor(exact);
            fractions[i] = exact - shares[i];
            given += shares[i];
        }
        foreach (var i in Enumerable.Range(0, weights.Count).OrderByDescending(i => fractions[i]).ThenBy(i => i).Take((int)(total - given)))
        {
            shares[i]++;
        }
        return shares;
    }

    private static long[] Discounts(IReadOnlyList<ChargeLine> lines, InvoiceDiscount? discount)
    {
        var weights = lines.Select(l => discount is not null && l.Line.Amount > 0
                                        && (discount.AppliesToPlans.Count == 0 || (l.Line.PlanId is { } plan && discount.AppliesToPlans.Contains(plan)))
            ? l.Line.Amount : 0).ToArray();
        var eligible = weights.Sum();
        if (discount is null || eligible == 0)
        {
            return new long[lines.Count];
        }
        var amount = discount.PercentOff is { } percent
            ? Math.Min(Round(eligible * percent / 100m), eligible)
            : Math.Min(discount.AmountOff ?? 0, eligible);
        return Allocate(amount, weights);
    }

    private static IReadOnlyList<InvoiceLineTax> Taxes(long amount, IReadOnlyList<TaxRateSnapshot> rates)
    {
        if (rates.Count == 0)
        {
            return [];
        }
        var inclusiveRates = rates.Where(r => r.Inclusive).ToArray();
        var inclusivePercent = inclusiveRates.Sum(r => r.Percentage);
        var net = inclusiveRates.Length == 0 ? amount : Round(amount * 100m / (100m + inclusivePercent));
        var inclusiveTax = amount - net;
        // Shared by magnitude, the sign put back: a credit line's inclusive tax is negative as its amount is.
        var shares = Allocate(Math.Abs(inclusiveTax), inclusiveRates.Select(r => Round(r.Percentage * 10_000m)).ToArray());
        var taxes = new List<InvoiceLineTax>(rates.Count);
        for (var i = 0; i < inclusiveRates.Length; i++)
        {
            taxes.Add(new InvoiceLineTax(inclusiveRates[i].Id, inclusiveRates[i].Percentage, true, net, Math.Sign(inclusiveTax) * shares[i]));
        }
        foreach (var rate in rates.Where(r => !r.Inclusive))
        {
            taxes.Add(new InvoiceLineTax(rate.Id, rate.Percentage, false, net, Round(net * rate.Percentage / 100m)));
        }
        return taxes;
    }

    private static (long Credits, IReadOnlyList<CreditGrantUse> Used) SpendGrants(IReadOnlyList<CreditGrantBalance> grants, long total, long usageDue)
    {
        var used = new List<CreditGrantUse>();
        if (total <= 0)
        {
            return (0, used);
        }
        long allLeft = total, meteredLeft = Math.Min(usageDue, total), spent = 0;
        foreach (var grant in grants.Where(g => g.Remaining > 0)
                     .OrderBy(g => g.Priority).ThenBy(g => g.ExpiresAt ?? DateTimeOffset.MaxValue).ThenBy(g => g.Created).ThenBy(g => g.Id, StringComparer.Ordinal))
        {
            var metered = grant.AppliesTo == CreditGrantScopes.Metered;
            var use = Math.Min(grant.Remaining, metered ? meteredLeft : allLeft);
            if (use <= 0)
            {
                continue;
            }
            used.Add(new CreditGrantUse(grant.Id, use));
            spent += use;
            allLeft -= use;
            meteredLeft = Math.Min(meteredLeft - (metered ? use : 0), allLeft);
        }
        return (spent, used);
    }

    private static (long Ending, long Due) ApplyBalance(long starting, long left)
    {
        if (left < 0)
        {
            return (starting + left, 0);
        }
        if (starting < 0)
        {
            var applied = Math.Min(left, -starting);
            return (starting + applied, left - applied);
        }
        return (0, left + starting);
    }
}

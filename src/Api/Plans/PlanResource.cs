using System.Text.Json.Serialization;
using Platform.Api.Common;
using Platform.Grains.Interfaces.Plans;

namespace Platform.Api.Plans;

/// <summary>A tenant's plan; <c>active</c> is false once archived. Amounts in minor units.</summary>
public sealed record PlanResource(
    string Id,
    string Code,
    string? Name,
    string Interval,
    string Currency,
    long Amount,
    int TrialDays,
    IReadOnlyList<UsageChargeResource> UsageCharges,
    IReadOnlyList<EntitlementResource> Entitlements,
    bool Active,
    long Created,
    IReadOnlyDictionary<string, CurrencyOptionResource> CurrencyOptions,
    IReadOnlyList<string> DefaultTaxRates)
{
    [JsonPropertyOrder(-1)]
    public string Object => "plan";

    public static PlanResource From(PlanSnapshot plan)
    {
        var d = plan.Definition;
        return new PlanResource(plan.Id, d.Code, d.Name, PlanWire.Interval(d.Interval), d.Currency, d.Amount, d.TrialDays, Charges(d.UsageCharges),
            d.Entitlements.Select(e => new EntitlementResource(e.Feature, e.Limit)).ToArray(),
            !plan.Archived, UnixTime.Seconds(plan.Created),
            (d.CurrencyOptions ?? new Dictionary<string, PlanPrice>()).ToDictionary(o => o.Key, o => new CurrencyOptionResource(o.Value.Amount, Charges(o.Value.UsageCharges))),
            d.DefaultTaxRates ?? []);
    }

    private static UsageChargeResource[] Charges(IReadOnlyList<UsageCharge> charges) =>
        charges.Select(c => new UsageChargeResource(c.Metric, PlanWire.Model(c.Model), c.UnitAmount, c.PackageSize, c.PackageAmount,
            c.Tiers.Select(t => new PriceTierResource(t.UpTo, t.UnitAmount, t.FlatAmount)).ToArray())).ToArray();
}

/// <summary>The plan's price in one more currency.</summary>
public sealed record CurrencyOptionResource(long Amount, IReadOnlyList<UsageChargeResource> UsageCharges);

public sealed record UsageChargeResource(string Metric, string PricingModel, long? UnitAmount, long? PackageSize, long? PackageAmount,
    IReadOnlyList<PriceTierResource> Tiers);

public sealed record PriceTierResource(long? UpTo, long UnitAmount, long FlatAmount);

public sealed record EntitlementResource(string Feature, long? Limit);

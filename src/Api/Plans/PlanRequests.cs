using Platform.Api.OpenApi;
using Platform.Grains.Interfaces.Plans;

namespace Platform.Api.Plans;

/// <summary>The body of <c>POST /v1/plans</c>; every field is checked by <see cref="PlanValidation"/>.</summary>
public sealed record CreatePlanRequest(
    [property: RequiredField] string? Code,
    string? Name,
    [property: RequiredField, WireValues(typeof(PlanInterval))] string? Interval,
    [property: RequiredField] string? Currency,
    [property: RequiredField] long? Amount,
    int? TrialDays,
    IReadOnlyList<UsageChargeRequest>? UsageCharges,
    IReadOnlyList<EntitlementRequest>? Entitlements,
    IReadOnlyDictionary<string, CurrencyOptionRequest>? CurrencyOptions = null,
    IReadOnlyList<string>? DefaultTaxRates = null);

/// <summary>The plan's price in another currency (Stripe's <c>currency_options</c> entry): the flat amount and the same usage charges.</summary>
public sealed record CurrencyOptionRequest([property: RequiredField] long? Amount, IReadOnlyList<UsageChargeRequest>? UsageCharges);

public sealed record UsageChargeRequest(
    [property: RequiredField] string? Metric,
    [property: RequiredField, WireValues(typeof(PricingModel))] string? PricingModel,
    long? UnitAmount,
    long? PackageSize,
    long? PackageAmount,
    IReadOnlyList<PriceTierRequest>? Tiers);

/// <summary>A tier; <c>up_to</c> null is the last, open-ended tier.</summary>
public sealed record PriceTierRequest(long? UpTo, long? UnitAmount, long? FlatAmount);

/// <summary>A feature flag (no <c>limit</c>) or a numeric limit.</summary>
public sealed record EntitlementRequest([property: RequiredField] string? Feature, long? Limit);

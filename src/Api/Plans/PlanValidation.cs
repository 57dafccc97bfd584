using Microsoft.AspNetCore.Http.HttpResults;
using Platform.Api.Common;
using Platform.Api.Errors;
using Platform.Grains.Interfaces.Plans;
using Platform.Grains.Interfaces.Usage;

namespace Platform.Api.Plans;

/// <summary>Turns a plan request into a <see cref="PlanDraft"/>, or the first field error (with its <c>param</c>).</summary>
public static class PlanValidation
{
    public const int MaxCodeLength = 64;
    public const int MaxNameLength = 256;
    public const int MaxFeatureLength = 64;
    public const int MaxCharges = 20;
    public const int MaxTiers = 20;
    public const int MaxEntitlements = 50;
    public const int MaxTrialDays = 730;

    /// <summary>The ceiling every money field shares (<see cref="Validation.MaxAmount"/>).</summary>
    public const long MaxAmount = Validation.MaxAmount;

    public static ProblemHttpResult? Validate(CreatePlanRequest request, out PlanDraft? draft)
    {
        draft = null;
        if (request.Code is null)
        {
            return Missing("code");
        }
        if (!IsIdentifier(request.Code, MaxCodeLength))
        {
            return Problems.Invalid("code", $"code must be 1 to {MaxCodeLength} letters, digits, '_', '-' or '.', starting with a letter or digit.");
        }
        if (Validation.Text("name", request.Name, MaxNameLength) is { } badName)
        {
            return badName;
        }
        if (request.Interval is null)
        {
            return Missing("interval");
        }
        if (PlanWire.ParseInterval(request.Interval) is not { } interval)
        {
            return Problems.Invalid("interval", "interval must be one of month, year, day.");
        }
        if (Validation.Currency("currency", request.Currency) is { } badCurrency)
        {
            return badCurrency;
        }
        if (request.Amount is null)
        {
            return Missing("amount");
        }
        if (Amount("amount", request.Amount) is { } badAmount)
        {
            return badAmount;
        }
        if (request.TrialDays is < 0 or > MaxTrialDays)
        {
            return Problems.Invalid("trial_days", $"trial_days must be between 0 and {MaxTrialDays}.");
        }
        var requestCharges = request.UsageCharges ?? [];
        if (requestCharges.Count > MaxCharges)
        {
            return Problems.Invalid("usage_charges", $"A plan has at most {MaxCharges} usage charges.");
        }
        var charges = new List<UsageCharge>(requestCharges.Count);
        for (var i = 0; i < requestCharges.Count; i++)
        {
            if (Charge($"usage_charges[{i}]", requestCharges[i], out var charge) is { } badCharge)
            {
                return badCharge;
            }
            if (charges.Any(c => c.Metric == charge!.Metric))
            {
                return Problems.Invalid($"usage_charges[{i}][metric]", "Each metric is charged once per plan.");
            }
            charges.Add(charge!);
        }
        var requestEntitlements = request.Entitlements ?? [];
        if (requestEntitlements.Count > MaxEntitlements)
        {
            return Problems.Invalid("entitlements", $"A plan has at most {MaxEntitlements} entitlements.");
        }
        var entitlements = new List<PlanEntitlement>(requestEntitlements.Count);
        for (var i = 0; i < requestEntitlements.Count; i++)
        {
            var e = requestEntitlements[i];
            if (e is null || e.Feature is null || !IsIdentifier(e.Feature, MaxFeatureLength))
            {
                return Problems.Invalid($"entitlements[{i}][feature]", $"feature must be 1 to {MaxFeatureLength} letters, digits, '_', '-' or '.'.");
            }
            if (e.Limit is < 0 or > long.MaxValue / 2)
            {
                return Problems.Invalid($"entitlements[{i}][limit]", "limit must be a non-negative integer (omit it for a feature flag).");
            }
            if (entitlements.Any(x => x.Feature == e.Feature))
            {
                return Problems.Invalid($"entitlements[{i}][feature]", "Each feature is granted once per plan.");
            }
            entitlements.Add(new PlanEntitlement(e.Feature, e.Limit));
        }
        if (request.DefaultTaxRates is { } rates && (rates.Count > 5 || rates.Any(r => !Grains.Interfaces.Common.PlatformIds.IsTaxRateId(r))))
        {
            return Problems.Invalid("default_tax_rates", "default_tax_rates lists up to 5 tax rate ids (txr_…).");
        }
        var options = new Dictionary<string, PlanPrice>(StringComparer.Ordinal);
        foreach (var (key, option) in request.CurrencyOptions ?? new Dictionary<string, CurrencyOptionRequest>())
        {
            var param = $"currency_options[{key}]";
            if (Currencies.Normalize(key) is not { } currency || currency == Currencies.Normalize(request.Currency) || options.ContainsKey(currency))
            {
                return Problems.Invalid(param, "currency_options are keyed by ISO 4217 currencies other than the plan's currency, each once.");
            }
            // Each option is priced by the same rules as the plan itself, and prices the same metrics.
            if (Validate(request with { Currency = currency, Amount = option?.Amount, UsageCharges = option?.UsageCharges, CurrencyOptions = null }, out var priced) is { } bad)
            {
                return Problems.Invalid(param, $"{param}: {bad.ProblemDetails.Detail}");
            }
            if (!priced!.UsageCharges.Select(c => c.Metric).Order().SequenceEqual(charges.Select(c => c.Metric).Order()))
            {
                return Problems.Invalid($"{param}[usage_charges]", "A currency option prices the same usage metrics as the plan.");
            }
            options[currency] = new PlanPrice(priced.Amount, priced.UsageCharges);
        }
        draft = new PlanDraft(request.Code, request.Name, interval, Currencies.Normalize(request.Currency)!, request.Amount.Value, charges,
            request.TrialDays ?? 0, entitlements, options.Count > 0 ? options : null, request.DefaultTaxRates is { Count: > 0 } r ? [.. r.Distinct()] : null);
        return null;
    }

    private static ProblemHttpResult? Charge(string param, UsageChargeRequest? request, out UsageCharge? charge)
    {
        charge = null;
        if (request is null)
        {
            return Problems.Invalid(param, "Each usage charge is an object.");
        }
        if (request.Metric is null || !IsMetric(request.Metric))
        {
            return Problems.Invalid($"{param}[metric]", $"metric must be a billable metric name (1 to {UsageRules.MaxMetricLength} letters, digits, '_', '-', '.' or ':').");
        }
        if (PlanWire.ParseModel(request.PricingModel) is not { } model)
        {
            return Problems.Invalid($"{param}[pricing_model]", "pricing_model must be one of per_unit, package, graduated, volume.");
        }
        var tiers = new List<PriceTier>();
        switch (model)
        {
            case PricingModel.PerUnit:
                if (request.UnitAmount is null)
                {
                    return Missing($"{param}[unit_amount]");
                }
                if (Amount($"{param}[unit_amount]", request.UnitAmount) is { } badUnit)
                {
                    return badUnit;
                }
                break;
            case PricingModel.Package:
                if (request.PackageSize is null or < 1 or > int.MaxValue)
                {
                    return Problems.Invalid($"{param}[package_size]", "package_size must be a positive integer.");
                }
                if (request.PackageAmount is null)
                {
                    return Missing($"{param}[package_amount]");
                }
                if (Amount($"{param}[package_amount]", request.PackageAmount) is { } badPackage)
                {
                    return badPackage;
                }
                break;
            default:
                var requestTiers = request.Tiers ?? [];
                if (requestTiers.Count is 0 or > MaxTiers)
                {
                    return Problems.Invalid($"{param}[tiers]", $"A tiered charge has 1 to {MaxTiers} tiers.");
                }
                for (var t = 0; t < requestTiers.Count; t++)
                {
                    var tier = requestTiers[t];
                    var tierParam = $"{param}[tiers][{t}]";
                    if (tier is null)
                    {
                        return Problems.Invalid(tierParam, "Each tier is an object.");
                    }
                    var last = t == requestTiers.Count - 1;
                    if (last != tier.UpTo is null)
                    {
                        return Problems.Invalid($"{tierParam}[up_to]", "Every tier but the last has up_to; the last has none (it is open-ended).");
                    }
                    if (tier.UpTo is { } upTo && (upTo < 1 || upTo > long.MaxValue / 2 || (tiers.Count > 0 && upTo <= tiers[^1].UpTo)))
                    {
                        return Problems.Invalid($"{tierParam}[up_to]", "up_to must be positive and greater than the previous tier's.");
                    }
                    if ((Amount($"{tierParam}[unit_amount]", tier.UnitAmount ?? 0) ?? Amount($"{tierParam}[flat_amount]", tier.FlatAmount ?? 0)) is { } badTier)
                    {
                        return badTier;
                    }
                    tiers.Add(new PriceTier(tier.UpTo, tier.UnitAmount ?? 0, tier.FlatAmount ?? 0));
                }
                break;
        }
        if (model is PricingModel.PerUnit or PricingModel.Package && request.Tiers is { Count: > 0 })
        {
            return Problems.Invalid($"{param}[tiers]", "tiers belong to graduated and volume charges only.");
        }
        charge = new UsageCharge(request.Metric, model, model == PricingModel.PerUnit ? request.UnitAmount : null,
            model == PricingModel.Package ? request.PackageSize : null, model == PricingModel.Package ? request.PackageAmount : null, tiers);
        return null;
    }

    private static ProblemHttpResult? Amount(string param, long? amount) => Validation.Amount(param, amount);

    private static ProblemHttpResult Missing(string param) =>
        Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.ParameterMissing, $"{param} is required.", param);

    private static bool IsIdentifier(string value, int maxLength) =>
        value.Length > 0 && value.Length <= maxLength && char.IsAsciiLetterOrDigit(value[0])
        && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');

    private static bool IsMetric(string value) =>
        value.Length > 0 && value.Length <= UsageRules.MaxMetricLength && char.IsAsciiLetterOrDigit(value[0])
        && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or ':');
}

namespace Platform.Grains.Interfaces.Plans;

/// <summary>
/// A validated plan to create. <see cref="Currency"/> is lowercase ISO 4217; amounts in minor units.
/// <see cref="CurrencyOptions"/> prices it in other currencies too (Stripe's <c>currency_options</c>): the flat amount
/// and the same usage charges, each in that currency's minor units; a subscription is billed in one of them.
/// </summary>
[GenerateSerializer, Immutable, Alias("platform.plan_draft")]
public sealed record PlanDraft(
    [property: Id(0)] string Code,
    [property: Id(1)] string? Name,
    [property: Id(2)] PlanInterval Interval,
    [property: Id(3)] string Currency,
    [property: Id(4)] long Amount,
    [property: Id(5)] IReadOnlyList<UsageCharge> UsageCharges,
    [property: Id(6)] int TrialDays,
    [property: Id(7)] IReadOnlyList<PlanEntitlement> Entitlements,
    [property: Id(8)] IReadOnlyDictionary<string, PlanPrice>? CurrencyOptions = null,
    [property: Id(9)] IReadOnlyList<string>? DefaultTaxRates = null)
{
    /// <summary>Whether the plan has a price in <paramref name="currency"/>.</summary>
    public bool Offers(string currency) => currency == Currency || (CurrencyOptions?.ContainsKey(currency) ?? false);

    /// <summary>The plan as priced in <paramref name="currency"/> (its default currency: itself); null when not offered.</summary>
    public PlanDraft? In(string currency) =>
        currency == Currency ? this
        : CurrencyOptions?.GetValueOrDefault(currency) is { } price ? this with { Currency = currency, Amount = price.Amount, UsageCharges = price.UsageCharges }
        : null;
}

/// <summary>A plan's price in one more currency: the flat amount and its usage charges, in that currency's minor units.</summary>
[GenerateSerializer, Immutable, Alias("platform.plan_price")]
public sealed record PlanPrice([property: Id(0)] long Amount, [property: Id(1)] IReadOnlyList<UsageCharge> UsageCharges);

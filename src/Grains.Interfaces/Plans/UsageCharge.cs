namespace Platform.Grains.Interfaces.Plans;

/// <summary>The price of one billable metric's usage (its <c>sum</c> over the period). Amounts in minor units.</summary>
[GenerateSerializer, Immutable, Alias("platform.usage_charge")]
public sealed record UsageCharge(
    [property: Id(0)] string Metric,
    [property: Id(1)] PricingModel Model,
    [property: Id(2)] long? UnitAmount,
    [property: Id(3)] long? PackageSize,
    [property: Id(4)] long? PackageAmount,
    [property: Id(5)] IReadOnlyList<PriceTier> Tiers);

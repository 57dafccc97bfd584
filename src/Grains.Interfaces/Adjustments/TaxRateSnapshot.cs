namespace Platform.Grains.Interfaces.Adjustments;

/// <summary>
/// A tax rate (Stripe's <c>tax_rate</c>, <c>txr_…</c>): <see cref="Percentage"/> up to four decimals (19.0 = 19 %);
/// <see cref="Inclusive"/> rates are inside the prices they apply to, exclusive ones are added. An invoice keeps a copy of
/// the rates it used, so a rate archived or changed later never changes a bill.
/// </summary>
[GenerateSerializer, Immutable, Alias("platform.tax_rate")]
public sealed record TaxRateSnapshot(
    [property: Id(0)] string Id,
    [property: Id(1)] string DisplayName,
    [property: Id(2)] decimal Percentage,
    [property: Id(3)] bool Inclusive,
    [property: Id(4)] string? Jurisdiction,
    [property: Id(5)] string? Country,
    [property: Id(6)] bool Active,
    [property: Id(7)] DateTimeOffset Created,
    [property: Id(8)] bool IsDefault = false);

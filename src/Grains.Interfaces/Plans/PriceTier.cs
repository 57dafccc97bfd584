namespace Platform.Grains.Interfaces.Plans;

/// <summary>A tier of a graduated or volume charge: units up to <see cref="UpTo"/> (inclusive; null: no end)
/// cost <see cref="UnitAmount"/> each plus <see cref="FlatAmount"/> once. Amounts in minor units.</summary>
[GenerateSerializer, Immutable, Alias("platform.price_tier")]
public sealed record PriceTier(
    [property: Id(0)] long? UpTo,
    [property: Id(1)] long UnitAmount,
    [property: Id(2)] long FlatAmount);

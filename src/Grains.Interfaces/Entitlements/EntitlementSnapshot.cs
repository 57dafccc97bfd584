namespace Platform.Grains.Interfaces.Entitlements;

/// <summary>One feature: a flag when <see cref="Limit"/> is null, else a limit with what the period consumed of it.</summary>
[GenerateSerializer, Immutable, Alias("platform.entitlement_snapshot")]
public sealed record EntitlementSnapshot(
    [property: Id(0)] string Feature,
    [property: Id(1)] long? Limit,
    [property: Id(2)] long Consumed);

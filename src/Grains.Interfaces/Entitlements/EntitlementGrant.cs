using Platform.Grains.Interfaces.Plans;

namespace Platform.Grains.Interfaces.Entitlements;

/// <summary>What a live subscription grants for its current period; consumption restarts when <see cref="PeriodStart"/> changes.</summary>
[GenerateSerializer, Immutable, Alias("platform.entitlement_grant")]
public sealed record EntitlementGrant(
    [property: Id(0)] string PlanId,
    [property: Id(1)] string Status,
    [property: Id(2)] DateTimeOffset PeriodStart,
    [property: Id(3)] DateTimeOffset PeriodEnd,
    [property: Id(4)] IReadOnlyList<PlanEntitlement> Entitlements);

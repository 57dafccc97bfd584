namespace Platform.Grains.Interfaces.Entitlements;

/// <summary>A customer's entitlements now; empty (and <see cref="PlanId"/> null) without a live subscription.</summary>
[GenerateSerializer, Immutable, Alias("platform.entitlements_snapshot")]
public sealed record EntitlementsSnapshot(
    [property: Id(0)] string? PlanId,
    [property: Id(1)] string? Status,
    [property: Id(2)] DateTimeOffset? PeriodStart,
    [property: Id(3)] DateTimeOffset? PeriodEnd,
    [property: Id(4)] IReadOnlyList<EntitlementSnapshot> Features);

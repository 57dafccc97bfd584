namespace Platform.Grains.Interfaces.Plans;

/// <summary>A feature a plan grants: a flag when <see cref="Limit"/> is null, else a numeric limit (seats, api_calls).</summary>
[GenerateSerializer, Immutable, Alias("platform.plan_entitlement")]
public sealed record PlanEntitlement(
    [property: Id(0)] string Feature,
    [property: Id(1)] long? Limit);

namespace Platform.Grains.Interfaces.Plans;

/// <summary>A validated plan to create. <see cref="Currency"/> is lowercase ISO 4217; amounts in minor units.</summary>
[GenerateSerializer, Immutable, Alias("platform.plan_draft")]
public sealed record PlanDraft(
    [property: Id(0)] string Code,
    [property: Id(1)] string? Name,
    [property: Id(2)] PlanInterval Interval,
    [property: Id(3)] string Currency,
    [property: Id(4)] long Amount,
    [property: Id(5)] IReadOnlyList<UsageCharge> UsageCharges,
    [property: Id(6)] int TrialDays,
    [property: Id(7)] IReadOnlyList<PlanEntitlement> Entitlements);

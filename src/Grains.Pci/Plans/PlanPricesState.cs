namespace Platform.Grains.Pci.Plans;

/// <summary>A tenant's Stripe Billing Meters, one per metric sold through Stripe (metric → <c>mtr_…</c>), made once.</summary>
[GenerateSerializer, Alias("platform.plan_prices_state")]
public sealed class PlanPricesState
{
    [Id(0)] public Dictionary<string, string> Meters { get; set; } = new(StringComparer.Ordinal);
}

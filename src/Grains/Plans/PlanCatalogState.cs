namespace Platform.Grains.Plans;

/// <summary>A tenant's plans in creation order, and which customers' subscriptions use each.</summary>
[GenerateSerializer, Alias("platform.plan_catalog_state")]
public sealed class PlanCatalogState
{
    [Id(0)] public List<PlanRecord> Plans { get; set; } = [];
}

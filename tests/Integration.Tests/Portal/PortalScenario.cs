namespace Platform.Integration.Tests.Portal;

/// <summary>One tenant (admin key <see cref="Secret"/>), its customer on <see cref="StarterPlan"/>, and a second plan.</summary>
public sealed record PortalScenario(string TenantId, string Secret, string CustomerId, string StarterPlan, string GrowthPlan);

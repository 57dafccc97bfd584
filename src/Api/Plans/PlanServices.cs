namespace Platform.Api.Plans;

/// <summary>What the plan handlers need, bound with [AsParameters].</summary>
public sealed record PlanServices(IGrainFactory Grains, HttpContext Http);

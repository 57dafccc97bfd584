namespace Platform.Api.Usage;

/// <summary>What the usage handlers need, bound with [AsParameters].</summary>
public sealed record UsageServices(IGrainFactory Grains, HttpContext Http);

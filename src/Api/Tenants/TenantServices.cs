namespace Platform.Api.Tenants;

/// <summary>What the tenant handlers need, bound with [AsParameters].</summary>
public sealed record TenantServices(IGrainFactory Grains, HttpContext Http);

namespace Platform.Api.Customers;

/// <summary>What the customer handlers need, bound with [AsParameters].</summary>
public sealed record CustomerServices(IGrainFactory Grains, HttpContext Http);

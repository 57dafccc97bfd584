namespace Platform.Api.Payments;

/// <summary>What the payment handlers need, bound with [AsParameters].</summary>
public sealed record PaymentServices(IGrainFactory Grains, HttpContext Http);

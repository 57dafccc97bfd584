namespace Platform.Api.Webhooks;

/// <summary>What the webhook and event handlers need, bound with [AsParameters].</summary>
public sealed record WebhookServices(IGrainFactory Grains, HttpContext Http);

namespace Platform.Grains.Interfaces.Webhooks;

/// <summary>Stored values, never reused.</summary>
[GenerateSerializer, Alias("platform.webhook_endpoint_status")]
public enum WebhookEndpointStatus
{
    Enabled = 1,

    /// <summary>Disabled by the platform after failing continuously (Webhooks:DisableAfter).</summary>
    Disabled = 2,
}

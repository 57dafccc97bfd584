namespace Platform.Grains.Interfaces.Webhooks;

/// <summary>Stored values, never reused.</summary>
[GenerateSerializer, Alias("platform.webhook_delivery_status")]
public enum WebhookDeliveryStatus
{
    Pending = 1,
    Succeeded = 2,

    /// <summary>Every allowed attempt failed (or the endpoint was deleted); a manual retry may revive it.</summary>
    Failed = 3,
}

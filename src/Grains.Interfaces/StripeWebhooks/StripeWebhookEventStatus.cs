namespace Platform.Grains.Interfaces.StripeWebhooks;

/// <summary>A received Stripe event's processing state; stored values, never reused.</summary>
[GenerateSerializer, Alias("platform.stripe_webhook_event_status")]
public enum StripeWebhookEventStatus
{
    /// <summary>Recorded, not yet applied (queued for its owner, or its owner failed); the sweeper retries it with backoff.</summary>
    Pending = 1,

    /// <summary>Routed to its owner, which applied it, found it stale, or had nothing to do.</summary>
    Processed = 2,

    /// <summary>Retried up to the limit without success; an operator may replay it.</summary>
    Failed = 3,
}

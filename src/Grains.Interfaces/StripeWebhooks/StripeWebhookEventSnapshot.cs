namespace Platform.Grains.Interfaces.StripeWebhooks;

/// <summary>One received Stripe event as recorded: its processing state and the reduced event data.</summary>
[GenerateSerializer, Immutable, Alias("platform.stripe_webhook_event")]
public sealed record StripeWebhookEventSnapshot(
    [property: Id(0)] StripeEventData Event,
    [property: Id(1)] StripeWebhookEventStatus Status,
    [property: Id(2)] StripeEventOutcome? Outcome,
    [property: Id(3)] int Attempts,
    [property: Id(4)] string? LastError,
    [property: Id(5)] DateTimeOffset Received,
    [property: Id(6)] DateTimeOffset? Processed,
    [property: Id(7)] DateTimeOffset? NextAttempt);

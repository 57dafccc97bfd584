namespace Platform.Grains.Interfaces.StripeWebhooks;

/// <summary>What became of one verified delivery: it is recorded in every case (the 2xx is safe to send).
/// A new event is <see cref="StripeWebhookEventStatus.Pending"/> with no outcome yet: its owner applies it
/// in the background, and the sweeper retries it if that does not happen. A repeat delivery is
/// <see cref="Duplicate"/>, with no status: the first delivery's processing decides.</summary>
[GenerateSerializer, Immutable, Alias("platform.stripe_webhook_receipt")]
public sealed record StripeWebhookReceipt(
    [property: Id(0)] string EventId,
    [property: Id(1)] string Type,
    [property: Id(2)] bool Duplicate,
    [property: Id(3)] StripeWebhookEventStatus? Status,
    [property: Id(4)] StripeEventOutcome? Outcome);

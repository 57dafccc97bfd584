using Platform.Grains.Interfaces.StripeWebhooks;

namespace Platform.Grains.StripeWebhooks;

/// <summary>An event its owner has handled, to mark processed.</summary>
public sealed record ProcessedStripeEvent(string EventId, StripeEventOutcome Outcome, DateTimeOffset At);

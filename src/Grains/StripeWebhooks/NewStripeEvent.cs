using Platform.Grains.Interfaces.StripeWebhooks;

namespace Platform.Grains.StripeWebhooks;

/// <summary>A verified event to record as pending, with when it arrived and when the sweeper may first retry it.</summary>
public sealed record NewStripeEvent(StripeEventData Event, DateTimeOffset Received, DateTimeOffset FirstRetry);

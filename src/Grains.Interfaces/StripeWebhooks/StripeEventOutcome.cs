namespace Platform.Grains.Interfaces.StripeWebhooks;

/// <summary>What the owning grain did with an event; stored values, never reused.</summary>
[GenerateSerializer, Alias("platform.stripe_event_outcome")]
public enum StripeEventOutcome
{
    /// <summary>The owner's state moved to what the event says.</summary>
    Applied = 1,

    /// <summary>Older than what the owner already knows (Stripe delivers out of order): nothing changed.</summary>
    Stale = 2,

    /// <summary>A type we do not act on, or an object that is not ours: acknowledged and counted.</summary>
    Ignored = 3,
}

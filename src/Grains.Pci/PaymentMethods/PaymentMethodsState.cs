namespace Platform.Grains.Pci.PaymentMethods;

[GenerateSerializer, Alias("platform.payment_methods_state")]
public sealed class PaymentMethodsState
{
    /// <summary>The customer at Stripe; persisted before anything else uses it, so it is created once.</summary>
    [Id(0)] public string? StripeCustomerId { get; set; }

    /// <summary>Payment methods attached through us (Stripe.js may attach more; Stripe's list is the truth).</summary>
    [Id(1)] public List<string> AttachedPaymentMethodIds { get; set; } = [];

    [Id(2)] public List<string> SetupIntentIds { get; set; } = [];

    /// <summary>Counts attach/detach changes; part of their idempotency keys so a re-attach after a detach is a new request.</summary>
    [Id(3)] public int Version { get; set; }

    /// <summary>
    /// The newest Stripe event applied per object (setup intent, payment method), as created × 16 + a rank
    /// of what it says: an older event about the same object is stale and changes nothing.
    /// </summary>
    [Id(4)] public Dictionary<string, long> EventVersions { get; set; } = [];

    /// <summary>Setup intents' statuses as Stripe's events last told them.</summary>
    [Id(5)] public Dictionary<string, string> SetupIntentStatuses { get; set; } = [];

    /// <summary>Set by an erasure: the Stripe customer is deleted (its id stays, as payments refer to it) and no new one is made.</summary>
    [Id(6)] public DateTimeOffset? Erased { get; set; }
}

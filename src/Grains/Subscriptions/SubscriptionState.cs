using Platform.Grains.Interfaces.Subscriptions;

namespace Platform.Grains.Subscriptions;

/// <summary>
/// The customer's subscription as Stripe's events told it (Unix seconds, as Stripe sends them), and the
/// version of the newest event applied, which decides whether a later-arriving event is older.
/// </summary>
[GenerateSerializer, Alias("platform.subscription_state")]
public sealed class SubscriptionState
{
    [Id(0)] public string? StripeSubscriptionId { get; set; }

    [Id(1)] public string? StripeCustomerId { get; set; }

    /// <summary>Stripe's status; empty until a subscription event arrived.</summary>
    [Id(2)] public string Status { get; set; } = "";

    [Id(3)] public List<SubscriptionItemSnapshot> Items { get; set; } = [];

    [Id(4)] public long? CurrentPeriodStart { get; set; }

    [Id(5)] public long? CurrentPeriodEnd { get; set; }

    [Id(6)] public bool CancelAtPeriodEnd { get; set; }

    [Id(7)] public long? CanceledAt { get; set; }

    [Id(8)] public long? TrialEnd { get; set; }

    [Id(9)] public long? EndedAt { get; set; }

    /// <summary>When Stripe created the subscription: of two subscriptions of one customer, the newer is mirrored.</summary>
    [Id(10)] public long SubscriptionCreated { get; set; }

    /// <summary>The newest subscription event applied.</summary>
    [Id(11)] public StripeEventVersion SubscriptionVersion { get; set; } = StripeEventVersion.None;

    [Id(12)] public string? LatestInvoiceId { get; set; }

    [Id(13)] public string? LatestInvoiceStatus { get; set; }

    [Id(14)] public long LatestInvoiceCreated { get; set; }

    /// <summary>The newest event applied to the latest invoice.</summary>
    [Id(15)] public StripeEventVersion InvoiceVersion { get; set; } = StripeEventVersion.None;

    [Id(16)] public string? CheckoutSessionId { get; set; }

    [Id(17)] public DateTimeOffset Updated { get; set; }
}

namespace Platform.Grains.Interfaces.Webhooks;

/// <summary>
/// The event types tenants can subscribe to (<c>enabled_events</c>). Stored and sent to tenants, so a
/// name is never changed once shipped; a feature adds its names here when it starts publishing them.
/// </summary>
public static class EventTypes
{
    /// <summary>In <c>enabled_events</c>: every type, including types added later.</summary>
    public const string All = "*";

    /// <summary>The shape version of event bodies (the <c>api_version</c> field), Stripe style.</summary>
    public const string ApiVersion = "2026-05-01";

    public const string CustomerCreated = "customer.created";
    public const string CustomerUpdated = "customer.updated";
    public const string CustomerErased = "customer.erased";
    public const string SubscriptionCreated = "subscription.created";
    public const string SubscriptionUpdated = "subscription.updated";
    public const string SubscriptionCanceled = "subscription.canceled";
    public const string SubscriptionTrialWillEnd = "subscription.trial_will_end";
    public const string PaymentSucceeded = "payment.succeeded";
    public const string PaymentFailed = "payment.failed";
    public const string PaymentRefunded = "payment.refunded";
    public const string UsageThresholdReached = "usage.threshold_reached";
    public const string LicenseIssued = "license.issued";
    public const string WebhookEndpointDisabled = "webhook_endpoint.disabled";
    public const string InvoiceCreated = "invoice.created";
    public const string InvoiceFinalized = "invoice.finalized";
    public const string InvoicePaid = "invoice.paid";
    public const string InvoicePaymentFailed = "invoice.payment_failed";
    public const string InvoicePaymentActionRequired = "invoice.payment_action_required";
    public const string InvoiceVoided = "invoice.voided";
    public const string InvoiceMarkedUncollectible = "invoice.marked_uncollectible";
    public const string CreditNoteCreated = "credit_note.created";
    public const string CreditNoteVoided = "credit_note.voided";

    public static IReadOnlySet<string> Known { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        CustomerCreated, CustomerUpdated, CustomerErased,
        SubscriptionCreated, SubscriptionUpdated, SubscriptionCanceled, SubscriptionTrialWillEnd,
        PaymentSucceeded, PaymentFailed, PaymentRefunded,
        UsageThresholdReached, LicenseIssued, WebhookEndpointDisabled,
        InvoiceCreated, InvoiceFinalized, InvoicePaid, InvoicePaymentFailed, InvoicePaymentActionRequired,
        InvoiceVoided, InvoiceMarkedUncollectible, CreditNoteCreated, CreditNoteVoided,
    };

    public static bool IsKnown(string? type) => type is not null && Known.Contains(type);

    /// <summary>Whether a subscription (<c>enabled_events</c>) takes an event of <paramref name="type"/>.</summary>
    public static bool Matches(IEnumerable<string> enabledEvents, string type) =>
        enabledEvents.Any(e => e == All || e == type);
}

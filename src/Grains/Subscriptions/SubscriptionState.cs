using Platform.Grains.Interfaces.Subscriptions;
using Platform.Grains.Interfaces.Webhooks;

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

    /// <summary>The tenant's plan of a subscription created here (null for one mirrored from Stripe).</summary>
    [Id(18)] public string? PlanId { get; set; }

    /// <summary>Events staged with a change, published after it is written (see CustomerGrain).</summary>
    [Id(19)] public List<PlatformEvent> Outbox { get; set; } = [];

    /// <summary>subscription.trial_will_end was staged for the current trial.</summary>
    [Id(20)] public bool TrialWillEndSent { get; set; }

    /// <summary>
    /// The subscription lives at Stripe (sold through Checkout, or only mirrored): Stripe's events change it,
    /// and <see cref="PlanId"/> is the plan its price maps to. A subscription created here before this
    /// field existed has a plan; one mirrored then has none (both read right: see SubscriptionGrain.IsManagedByStripe).
    /// </summary>
    [Id(21)] public bool ManagedByStripe { get; set; }

    /// <summary>How the platform's invoices of this subscription are paid (<c>charge_automatically</c> unless set at creation).</summary>
    [Id(22)] public string? CollectionMethod { get; set; }

    /// <summary>For <c>send_invoice</c>: the days from finalization to the due date.</summary>
    [Id(23)] public int? DaysUntilDue { get; set; }

    /// <summary>
    /// Closed periods whose invoice draft is still to be made, written with the roll-over that closed them (one
    /// write): a silo lost between the write and the invoice call makes the draft on the next tick or activation.
    /// </summary>
    [Id(24)] public List<Interfaces.Invoices.InvoiceDraft> PendingDrafts { get; set; } = [];

    /// <summary>The coupon redeemed on this subscription, while it still discounts (see SubscriptionDiscount).</summary>
    [Id(25)] public Interfaces.Adjustments.SubscriptionDiscount? Discount { get; set; }

    /// <summary>The subscription's own tax rates (Stripe's <c>default_tax_rates</c>); empty: the tenant's defaults.</summary>
    [Id(26)] public List<string> DefaultTaxRateIds { get; set; } = [];

    /// <summary>Proration items written with the plan change that made them, then handed to the invoice items (idempotent by id).</summary>
    [Id(27)] public List<Interfaces.Adjustments.InvoiceItemDraft> PendingItems { get; set; } = [];

    /// <summary>The plan in effect when the current period began: its flat fee is what the period's invoice bills (a change since is prorated).</summary>
    [Id(28)] public string? PeriodPlanId { get; set; }

    /// <summary>A one-off invoice to make for prorations billed at once (<c>always_invoice</c>), with the change that asked for it.</summary>
    [Id(29)] public string? PendingProrationInvoiceId { get; set; }

    /// <summary>The currency this subscription is billed in: the plan's, or one of its currency options (the customer's, once fixed).</summary>
    [Id(30)] public string? Currency { get; set; }
}

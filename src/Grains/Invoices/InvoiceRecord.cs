using Platform.Grains.Interfaces.Invoices;

namespace Platform.Grains.Invoices;

/// <summary>One row of <c>invoices</c> with its lines, as the invoice grain holds it between writes.</summary>
public sealed class InvoiceRecord
{
    public required string TenantId { get; init; }
    public required string Id { get; init; }
    public required string CustomerId { get; init; }
    /// <summary>Null on a one-off invoice (POST /v1/invoices), as <see cref="PlanId"/>.</summary>
    public string? SubscriptionId { get; init; }
    public string? PlanId { get; init; }
    public string? Description { get; init; }
    public required InvoicePricing Pricing { get; init; }
    public required bool Trial { get; init; }
    public required DateTimeOffset PeriodStart { get; init; }
    public required DateTimeOffset PeriodEnd { get; init; }
    public required string CollectionMethod { get; init; }
    public int? DaysUntilDue { get; init; }
    public required DateTimeOffset Created { get; init; }
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    public string Status { get; set; } = InvoiceStatuses.Draft;
    public string? Number { get; set; }
    public long? NumberSeq { get; set; }
    public IReadOnlyList<InvoiceLineItem> Lines { get; set; } = [];
    public long Subtotal { get; set; }
    public long TotalDiscount { get; set; }
    public long Tax { get; set; }
    public long TotalExcludingTax { get; set; }
    public long Total { get; set; }
    public long CreditsApplied { get; set; }
    public long StartingBalance { get; set; }
    public long? EndingBalance { get; set; }
    public long AmountDue { get; set; }
    public long PrePaymentCreditNotes { get; set; }
    public long PostPaymentCreditNotes { get; set; }
    public InvoiceTerms Terms { get; set; } = new();
    public long AmountPaid { get; set; }
    public long AmountRemaining { get; set; }
    public int AttemptCount { get; set; }
    public DateTimeOffset? NextPaymentAttempt { get; set; }
    public DateTimeOffset? DueDate { get; set; }
    public DateTimeOffset? FinalizesAt { get; set; }
    public DateTimeOffset? FinalizedAt { get; set; }
    public DateTimeOffset? PaidAt { get; set; }
    public DateTimeOffset? VoidedAt { get; set; }
    public DateTimeOffset? MarkedUncollectibleAt { get; set; }
    public string? PaymentIntentId { get; set; }
    public List<string> PaymentAttempts { get; set; } = [];
    public bool CollectionStarted { get; set; }
    public List<InvoiceOutboxItem> Outbox { get; set; } = [];
    /// <summary><c>platform</c>, or <c>stripe</c> for Stripe's invoice mirrored from its events (read-only here).</summary>
    public string ManagedBy { get; init; } = InvoiceManagers.Platform;
    public string? StripeInvoiceId { get; init; }
    /// <summary>The newest Stripe event applied to a mirrored invoice (StripeInvoiceMirror).</summary>
    public Subscriptions.StripeEventVersion? StripeVersion { get; set; }

    public bool IsManagedByStripe => ManagedBy == InvoiceManagers.Stripe;

    public string Currency => Pricing.Currency;

    public bool IsOneOff => SubscriptionId is null;

    /// <summary>An automatic invoice with something to pay whose next attempt (first or dunning retry) has come.</summary>
    public bool CollectionDue(DateTimeOffset now) =>
        !IsManagedByStripe && Status == InvoiceStatuses.Open && CollectionMethod == CollectionMethods.ChargeAutomatically && AmountRemaining > 0
        && NextPaymentAttempt is { } next && next <= now;

    /// <summary>Sets every total from the computed ones (draft preview or finalization).</summary>
    public void Apply(InvoiceTotals totals)
    {
        Lines = totals.Lines;
        Subtotal = totals.Subtotal;
        TotalDiscount = totals.TotalDiscount;
        Tax = totals.Tax;
        TotalExcludingTax = totals.TotalExcludingTax;
        Total = totals.Total;
        CreditsApplied = totals.CreditsApplied;
        StartingBalance = totals.StartingBalance;
        EndingBalance = totals.EndingBalance;
        AmountDue = totals.AmountDue;
        AmountRemaining = totals.AmountDue;
        Terms = Terms with { GrantsUsed = totals.GrantsUsed };
    }

    public InvoiceSnapshot ToSnapshot() => new(
        Id, TenantId, CustomerId, SubscriptionId, PlanId, Status, Number, Currency, PeriodStart, PeriodEnd, Lines,
        Subtotal, Total, AmountDue, AmountPaid, AmountRemaining, AttemptCount, NextPaymentAttempt, DueDate, CollectionMethod,
        new InvoiceStatusTransitions(FinalizedAt, PaidAt, VoidedAt, MarkedUncollectibleAt), Created, Metadata, PaymentIntentId,
        Status == InvoiceStatuses.Draft ? FinalizesAt : null,
        new InvoiceAmounts(TotalDiscount, Tax, TotalExcludingTax, CreditsApplied, StartingBalance, EndingBalance, PrePaymentCreditNotes, PostPaymentCreditNotes),
        Terms.AppliedDiscount, Terms.DefaultTaxRates, Terms.GrantsUsed, Description, ManagedBy, StripeInvoiceId);
}

namespace Platform.Grains.Subscriptions;

/// <summary>
/// Stripe's subscription and invoice statuses (their wire values, stored as they are in
/// <see cref="SubscriptionState"/>), ranked by how far along they are. The values never change: they are
/// Stripe's, our API's and our stored state's.
/// </summary>
public static class SubscriptionStatuses
{
    public const string Incomplete = "incomplete";
    public const string Trialing = "trialing";
    public const string Active = "active";
    public const string PastDue = "past_due";
    public const string Unpaid = "unpaid";
    public const string Paused = "paused";
    public const string IncompleteExpired = "incomplete_expired";
    public const string Canceled = "canceled";

    public const string InvoiceDraft = "draft";
    public const string InvoiceOpen = "open";
    public const string InvoiceUncollectible = "uncollectible";
    public const string InvoicePaid = "paid";
    public const string InvoiceVoid = "void";

    public static int SubscriptionRank(string status) => status switch
    {
        Incomplete => 1,
        Trialing => 2,
        Active => 3,
        PastDue => 4,
        Unpaid => 5,
        Paused => 6,
        IncompleteExpired => 8,
        Canceled => 9,
        _ => 0,
    };

    /// <summary>A subscription that ended stays ended: Stripe never revives it (a new one gets a new id).</summary>
    public static bool IsSubscriptionFinal(string status) => status is Canceled or IncompleteExpired;

    /// <summary>The statuses that grant the plan's entitlements and take an invoice preview.</summary>
    public static bool IsLive(string status) => status is Trialing or Active or PastDue;

    public static int InvoiceRank(string status) => status switch
    {
        InvoiceDraft => 1,
        InvoiceOpen => 2,
        InvoiceUncollectible => 3,
        InvoicePaid => 4,
        InvoiceVoid => 5,
        _ => 0,
    };

    public static bool IsInvoiceFinal(string status) => status is InvoicePaid or InvoiceVoid;
}

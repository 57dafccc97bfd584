namespace Platform.Grains.Subscriptions;

/// <summary>Stripe's subscription and invoice statuses, ranked by how far along they are.</summary>
public static class SubscriptionStatuses
{
    public static int SubscriptionRank(string status) => status switch
    {
        "incomplete" => 1,
        "trialing" => 2,
        "active" => 3,
        "past_due" => 4,
        "unpaid" => 5,
        "paused" => 6,
        "incomplete_expired" => 8,
        "canceled" => 9,
        _ => 0,
    };

    /// <summary>A subscription that ended stays ended: Stripe never revives it (a new one gets a new id).</summary>
    public static bool IsSubscriptionFinal(string status) => status is "canceled" or "incomplete_expired";

    public static int InvoiceRank(string status) => status switch
    {
        "draft" => 1,
        "open" => 2,
        "uncollectible" => 3,
        "paid" => 4,
        "void" => 5,
        _ => 0,
    };

    public static bool IsInvoiceFinal(string status) => status is "paid" or "void";
}

namespace Platform.Grains.Interfaces.Invoices;

/// <summary>What happens to the subscription when its invoice's last retry fails (Stripe's three choices).</summary>
public static class DunningActions
{
    /// <summary>The subscription is canceled; the invoice is marked uncollectible.</summary>
    public const string Cancel = "cancel";

    /// <summary>The subscription becomes <c>unpaid</c> (entitlements end); the invoice stays open, payable later.</summary>
    public const string Unpaid = "unpaid";

    /// <summary>The subscription stays <c>past_due</c>; the invoice stays open.</summary>
    public const string LeavePastDue = "past_due";

    public static bool IsKnown(string? action) => action is Cancel or Unpaid or LeavePastDue;
}

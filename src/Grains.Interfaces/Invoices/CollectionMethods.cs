namespace Platform.Grains.Interfaces.Invoices;

/// <summary>How an invoice gets paid, Stripe's words.</summary>
public static class CollectionMethods
{
    /// <summary>The customer's default payment method is charged off-session after finalization.</summary>
    public const string ChargeAutomatically = "charge_automatically";

    /// <summary>No automatic charge; <c>due_date</c> = finalization + <c>days_until_due</c>.</summary>
    public const string SendInvoice = "send_invoice";

    public static bool IsKnown(string? method) => method is ChargeAutomatically or SendInvoice;
}

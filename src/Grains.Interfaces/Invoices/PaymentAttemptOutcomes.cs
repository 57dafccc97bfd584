namespace Platform.Grains.Interfaces.Invoices;

/// <summary>The outcome of one attempt to pay an invoice (<see cref="InvoicePaymentAttempt.Outcome"/>).</summary>
public static class PaymentAttemptOutcomes
{
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string RequiresAction = "requires_action";

    public static bool IsKnown(string? outcome) => outcome is Succeeded or Failed or RequiresAction;
}

namespace Platform.Grains.Interfaces.Invoices;

/// <summary>Who bills an invoice (<c>managed_by</c>): the platform's own, or Stripe's, mirrored from its events.</summary>
public static class InvoiceManagers
{
    public const string Platform = "platform";
    public const string Stripe = "stripe";
}

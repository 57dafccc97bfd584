namespace Platform.Grains.Interfaces.Pci;

/// <summary>Configuration names of the PCI side, for hosts and core code that must not see its types.</summary>
public static class PciConfiguration
{
    /// <summary>The <c>Stripe</c> section (SecretKey, PublishableKey, WebhookSecret, ApiBase, budgets): pci silos only.</summary>
    public const string StripeSection = "Stripe";
}

namespace Platform.Grains.Interfaces.Compliance;

/// <summary>Ids of the report's checks: stable, clients and runbooks refer to them.</summary>
public static class ComplianceChecks
{
    public const string PciSilosPresent = "pci_silos_present";
    public const string PciGrainsOnlyOnPciSilos = "pci_grains_only_on_pci_silos";
    public const string StripeSecretsOnlyOnPciSilos = "stripe_secrets_only_on_pci_silos";
    public const string StripeKeyMode = "stripe_key_mode";
    public const string StripeWebhookSecret = "stripe_webhook_secret";
    public const string DataKey = "data_key";
    public const string AuditChain = "audit_chain";
    public const string NoPanInStorage = "no_pan_in_storage";
    public const string Retention = "retention";
    public const string TlsHsts = "tls_hsts";
    public const string LogRedaction = "log_redaction";
    public const string RateLimits = "rate_limits";
}

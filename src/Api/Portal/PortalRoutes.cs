namespace Platform.Api.Portal;

/// <summary>The portal's paths, in one place: pages link to each other through these.</summary>
public static class PortalRoutes
{
    public const string Root = "/portal";
    public const string Usage = "/portal/usage";
    public const string UsageEvents = "/portal/usage/events";
    public const string Plan = "/portal/plan";
    public const string Cancel = "/portal/plan/cancel";
    public const string Resume = "/portal/plan/resume";
    public const string PaymentMethods = "/portal/payment_methods";
    public const string AddPaymentMethod = "/portal/payment_methods/add";
    public const string DefaultPaymentMethod = "/portal/payment_methods/default";
    public const string Billing = "/portal/billing";
    public const string Invoices = "/portal/invoices";
    public const string Assets = "/portal/assets";
    public const string BrandCss = "/portal/assets/brand.css";
    public const string SignOut = "/portal/sign_out";

    public static string Invoice(string invoiceId) => $"{Invoices}/{Uri.EscapeDataString(invoiceId)}";

    public static string PayInvoice(string invoiceId) => Invoice(invoiceId) + "/pay";

    public static string Open(string sessionId, string secret) => $"/portal/open/{sessionId}?token={Uri.EscapeDataString(secret)}";
}

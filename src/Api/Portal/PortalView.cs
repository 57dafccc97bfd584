namespace Platform.Api.Portal;

/// <summary>What every portal page shows around its content: whose portal, for whom, and the way back.</summary>
public sealed record PortalView(
    PortalCustomer Customer,
    string TenantName,
    string AccentColor,
    string? CustomerName,
    string? ReturnUrl,
    string CsrfToken);

using System.Security.Claims;

namespace Platform.Api.Auth;

/// <summary>Claims our schemes issue. Handlers read the caller through these helpers only.</summary>
public static class PlatformClaims
{
    public const string Caller = "platform:caller";
    public const string TenantId = "platform:tenant_id";
    public const string Role = "platform:role";
    public const string CredentialId = "platform:credential_id";

    /// <summary>On a customer caller: the <c>cus_…</c> id its key speaks for (with its tenant in <see cref="TenantId"/>).</summary>
    public const string CustomerId = "platform:customer_id";

    public const string CallerPlatformAdmin = "platform_admin";
    public const string CallerTenant = "tenant";

    /// <summary>A customer instance (<c>X-API-Key: cust_…</c>): acts only for its own customer.</summary>
    public const string CallerCustomer = "customer";

    public static string RequireTenantId(this ClaimsPrincipal user) =>
        user.FindFirstValue(TenantId) ?? throw new InvalidOperationException("The route's policy must require a tenant caller.");

    /// <summary>The caller's own customer id when it is a customer instance; null for any other caller.</summary>
    public static string? CustomerIdOf(this ClaimsPrincipal user) =>
        user.HasClaim(Caller, CallerCustomer)
            ? user.FindFirstValue(CustomerId) ?? throw new InvalidOperationException("A customer caller must carry its customer id.")
            : null;

    public static string? CredentialIdOf(this ClaimsPrincipal user) => user.FindFirstValue(CredentialId);
}

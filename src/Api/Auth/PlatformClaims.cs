using System.Security.Claims;

namespace Platform.Api.Auth;

/// <summary>Claims our schemes issue. Handlers read the caller through these helpers only.</summary>
public static class PlatformClaims
{
    public const string Caller = "platform:caller";
    public const string TenantId = "platform:tenant_id";
    public const string Role = "platform:role";
    public const string CredentialId = "platform:credential_id";
    public const string CustomerId = "platform:customer_id";

    public const string CallerPlatformAdmin = "platform_admin";
    public const string CallerTenant = "tenant";
    public const string CallerCustomer = "customer";

    public static string RequireTenantId(this ClaimsPrincipal user) =>
        user.FindFirstValue(TenantId) ?? throw new InvalidOperationException("The route's policy must require a tenant caller.");

    public static string? CredentialIdOf(this ClaimsPrincipal user) => user.FindFirstValue(CredentialId);

    public static string? TenantIdOf(this ClaimsPrincipal user) => user.FindFirstValue(TenantId);

    /// <summary>The customer a customer key speaks for; null for every other caller.</summary>
    public static string? CustomerIdOf(this ClaimsPrincipal user) =>
        user.FindFirstValue(Caller) == CallerCustomer ? user.FindFirstValue(CustomerId) : null;

    /// <summary>How audit entries name the caller: a kind and a credential id, never a secret.</summary>
    public static string ActorOf(this ClaimsPrincipal user) => user.FindFirstValue(Caller) switch
    {
        CallerPlatformAdmin => "platform_admin",
        CallerTenant or CallerCustomer => user.FindFirstValue(CredentialId) ?? "unknown",
        _ => "anonymous",
    };
}

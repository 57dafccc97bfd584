using System.Security.Claims;

namespace Platform.Api.Auth;

/// <summary>Claims our schemes issue. Handlers read the caller through these helpers only.</summary>
public static class PlatformClaims
{
    public const string Caller = "platform:caller";
    public const string TenantId = "platform:tenant_id";
    public const string Role = "platform:role";
    public const string CredentialId = "platform:credential_id";

    public const string CallerPlatformAdmin = "platform_admin";
    public const string CallerTenant = "tenant";

    public static string RequireTenantId(this ClaimsPrincipal user) =>
        user.FindFirstValue(TenantId) ?? throw new InvalidOperationException("The route's policy must require a tenant caller.");

    public static string? CredentialIdOf(this ClaimsPrincipal user) => user.FindFirstValue(CredentialId);
}

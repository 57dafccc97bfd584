namespace Platform.Api.Auth;

/// <summary>One ASP.NET Core authentication scheme per kind of caller, and the selector in front of them.</summary>
public static class AuthSchemes
{
    /// <summary>Picks the scheme from the credential's shape; see <see cref="CredentialSelector"/>.</summary>
    public const string Selector = "platform";

    /// <summary><c>Authorization: Bearer &lt;Platform:AdminToken&gt;</c>: the platform operator.</summary>
    public const string PlatformAdmin = "platform_admin";

    /// <summary><c>Authorization: Bearer sk_…</c>: a tenant's backend.</summary>
    public const string TenantKey = "tenant_key";

    /// <summary><c>Authorization: Bearer &lt;JWT&gt;</c>: a user of the tenant's frontend.</summary>
    public const string FrontendJwt = "frontend_jwt";

    /// <summary><c>X-API-Key: cust_&lt;customer id&gt;_&lt;secret&gt;</c>: a customer's own instance.</summary>
    public const string CustomerKey = "customer_key";
}

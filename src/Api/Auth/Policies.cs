using Microsoft.AspNetCore.Authorization;
using Platform.Grains.Interfaces.Tenants;

namespace Platform.Api.Auth;

/// <summary>Who may call a route. Every mapped route names one of these (or is explicitly anonymous).</summary>
public static class Policies
{
    public const string PlatformAdmin = "platform_admin";

    /// <summary>Any tenant credential, any role: reads.</summary>
    public const string TenantRead = "tenant_read";

    /// <summary>Tenant roles <c>finance</c> and <c>admin</c>: changes (role <c>read</c> can only read).</summary>
    public const string TenantWrite = "tenant_write";

    /// <summary>Tenant role <c>admin</c> only.</summary>
    public const string TenantAdmin = "tenant_admin";

    /// <summary>A customer key, on routes where the customer acts for itself (usage, license, subscription, checkout).</summary>
    public const string CustomerSelf = "customer_self";

    /// <summary>Writes a customer may also make for itself: a tenant writer, or the customer's own key.</summary>
    public const string TenantWriteOrCustomer = "tenant_write_or_customer";

    /// <summary>Reads a customer may also make of itself: any tenant credential, or the customer's own key.</summary>
    public const string TenantReadOrCustomer = "tenant_read_or_customer";

    /// <summary>The platform operator or a tenant admin (the audit log: the operator reads any chain).</summary>
    public const string PlatformOrTenantAdmin = "platform_or_tenant_admin";

    public static AuthorizationBuilder AddPlatformPolicies(this AuthorizationBuilder builder) => builder
        .AddPolicy(PlatformAdmin, p => p.RequireClaim(PlatformClaims.Caller, PlatformClaims.CallerPlatformAdmin))
        .AddPolicy(TenantRead, p => p.RequireClaim(PlatformClaims.Caller, PlatformClaims.CallerTenant))
        .AddPolicy(TenantWrite, p => p
            .RequireClaim(PlatformClaims.Caller, PlatformClaims.CallerTenant)
            .RequireClaim(PlatformClaims.Role, RoleName(ApiKeyRole.Admin), RoleName(ApiKeyRole.Finance)))
        .AddPolicy(TenantAdmin, p => p
            .RequireClaim(PlatformClaims.Caller, PlatformClaims.CallerTenant)
            .RequireClaim(PlatformClaims.Role, RoleName(ApiKeyRole.Admin)))
        .AddPolicy(CustomerSelf, p => p.RequireClaim(PlatformClaims.Caller, PlatformClaims.CallerCustomer))
        .AddPolicy(TenantWriteOrCustomer, p => p.RequireAssertion(c =>
            c.User.HasClaim(PlatformClaims.Caller, PlatformClaims.CallerCustomer)
            || (c.User.HasClaim(PlatformClaims.Caller, PlatformClaims.CallerTenant)
                && (c.User.HasClaim(PlatformClaims.Role, RoleName(ApiKeyRole.Admin)) || c.User.HasClaim(PlatformClaims.Role, RoleName(ApiKeyRole.Finance))))))
        .AddPolicy(TenantReadOrCustomer, p => p.RequireAssertion(c =>
            c.User.HasClaim(PlatformClaims.Caller, PlatformClaims.CallerCustomer)
            || c.User.HasClaim(PlatformClaims.Caller, PlatformClaims.CallerTenant)))
        .AddPolicy(PlatformOrTenantAdmin, p => p.RequireAssertion(c =>
            c.User.HasClaim(PlatformClaims.Caller, PlatformClaims.CallerPlatformAdmin)
            || (c.User.HasClaim(PlatformClaims.Caller, PlatformClaims.CallerTenant) && c.User.HasClaim(PlatformClaims.Role, RoleName(ApiKeyRole.Admin)))));

    public static string RoleName(ApiKeyRole role) => role switch
    {
        ApiKeyRole.Read => "read",
        ApiKeyRole.Finance => "finance",
        ApiKeyRole.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };

    public static ApiKeyRole? ParseRole(string? name) => name switch
    {
        "read" => ApiKeyRole.Read,
        "finance" => ApiKeyRole.Finance,
        "admin" => ApiKeyRole.Admin,
        _ => null,
    };
}

using Microsoft.OpenApi;
using Platform.Api.Auth;

namespace Platform.Api.OpenApi;

/// <summary>
/// The credentials the document names, and which of them each authorization policy accepts. A feature
/// that adds a scheme or a policy adds a line here; a policy not listed is documented as accepting any
/// of the schemes, which is never narrower than the truth.
/// </summary>
public static class SecuritySchemes
{
    public const string AdminToken = "admin_token";
    public const string TenantKey = "tenant_key";
    public const string FrontendJwt = "frontend_jwt";
    public const string CustomerKey = "customer_key";

    public static readonly IReadOnlyDictionary<string, OpenApiSecurityScheme> All = new Dictionary<string, OpenApiSecurityScheme>
    {
        [AdminToken] = new()
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The platform operator: `Authorization: Bearer <Platform:AdminToken>`.",
        },
        [TenantKey] = new()
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "sk_<key>_<secret>",
            Description = "A tenant's backend: `Authorization: Bearer sk_…`, an API key with role admin, finance or read.",
        },
        [FrontendJwt] = new()
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "A user of the tenant's frontend: `Authorization: Bearer <JWT>` with tenant and role claims (acts as a tenant credential of that role).",
        },
        [CustomerKey] = new()
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "X-API-Key",
            Description = "A customer's own instance: `X-API-Key: cust_<customer>_<secret>`; acts only for that customer.",
        },
    };

    public static readonly IReadOnlyDictionary<string, (string[] Schemes, string Who)> ByPolicy =
        new Dictionary<string, (string[], string)>
        {
            [Policies.PlatformAdmin] = ([AdminToken], "the platform operator"),
            [Policies.TenantRead] = ([TenantKey, FrontendJwt], "a tenant credential of any role"),
            [Policies.TenantWrite] = ([TenantKey, FrontendJwt], "a tenant credential with role admin or finance"),
            [Policies.TenantAdmin] = ([TenantKey, FrontendJwt], "a tenant credential with role admin"),
            [Policies.CustomerSelf] = ([CustomerKey], "the customer's own key"),
            [Policies.TenantWriteOrCustomer] = ([TenantKey, FrontendJwt, CustomerKey], "a tenant credential with role admin or finance, or the customer's own key"),
            [Policies.TenantReadOrCustomer] = ([TenantKey, FrontendJwt, CustomerKey], "any tenant credential, or the customer's own key"),
            [Policies.PlatformOrTenantAdmin] = ([AdminToken, TenantKey, FrontendJwt], "the platform operator or a tenant admin"),
        };
}

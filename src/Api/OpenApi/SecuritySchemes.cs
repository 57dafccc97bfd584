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
    };

    public static readonly IReadOnlyDictionary<string, (string[] Schemes, string Who)> ByPolicy =
        new Dictionary<string, (string[], string)>
        {
            [Policies.PlatformAdmin] = ([AdminToken], "the platform operator"),
            [Policies.TenantRead] = ([TenantKey], "a tenant key of any role"),
            [Policies.TenantWrite] = ([TenantKey], "a tenant key with role admin or finance"),
            [Policies.TenantAdmin] = ([TenantKey], "a tenant key with role admin"),
        };
}

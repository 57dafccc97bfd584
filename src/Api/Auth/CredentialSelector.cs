using Platform.Grains.Interfaces.Common;

namespace Platform.Api.Auth;

/// <summary>Routes a request to the scheme that owns its credential's shape.</summary>
public static class CredentialSelector
{
    public static string Select(HttpContext context)
    {
        var bearer = BearerToken(context.Request);
        if (bearer is not null && bearer.StartsWith(PlatformIds.TenantSecretPrefix, StringComparison.Ordinal))
        {
            return AuthSchemes.TenantKey;
        }
        return AuthSchemes.PlatformAdmin;
    }

    public static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string Prefix = "Bearer ";
        return header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && header.Length > Prefix.Length
            ? header[Prefix.Length..].Trim()
            : null;
    }
}

using Platform.Grains.Interfaces.Common;

namespace Platform.Api.Auth;

/// <summary>Routes a request to the scheme that owns its credential's shape.</summary>
public static class CredentialSelector
{
    public const string CustomerKeyHeader = "X-API-Key";

    public static string Select(HttpContext context)
    {
        if (context.Request.Headers.ContainsKey(CustomerKeyHeader))
        {
            return AuthSchemes.CustomerKey;
        }
        var bearer = BearerToken(context.Request);
        if (bearer is not null && bearer.StartsWith(PlatformIds.TenantSecretPrefix, StringComparison.Ordinal))
        {
            return AuthSchemes.TenantKey;
        }
        // A compact JWS has exactly three dot-separated parts; admin tokens and keys have none.
        if (bearer is not null && bearer.Count(c => c == '.') == 2)
        {
            return AuthSchemes.FrontendJwt;
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

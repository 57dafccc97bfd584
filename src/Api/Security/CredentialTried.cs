using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Platform.Api.Auth;

namespace Platform.Api.Security;

/// <summary>
/// Which credential a request tried, named without its secret: a tenant key's id (<c>key_…</c>), a customer
/// key's customer (<c>cus_…</c>), the platform admin token (<c>platform_admin</c>), or a frontend JWT's user as a
/// digest of its unverified <c>tenant_id</c> and <c>sub</c> (<c>jwt:…</c>, no personal value). Failed
/// authentications count per credential tried and client address, so one caller's failures never lock out
/// another credential. The name comes from the request: it passes the card-data guard before it is stored
/// or logged (<see cref="ForRecord"/>).
/// </summary>
public static class CredentialTried
{
    public const string None = "none";
    public const string PlatformAdmin = "platform_admin";

    public static string Of(HttpContext context)
    {
        var request = context.Request;
        if (request.Headers.TryGetValue(CredentialSelector.CustomerKeyHeader, out var customerKey))
        {
            return CustomerKeyAuthenticationHandler.CustomerIdOf(customerKey.ToString()) ?? "customer_key:malformed";
        }
        var bearer = CredentialSelector.BearerToken(request);
        return CredentialSelector.Select(context) switch
        {
            _ when bearer is null => None,
            AuthSchemes.TenantKey => TenantKeyAuthenticationHandler.KeyIdOf(bearer) ?? "tenant_key:malformed",
            AuthSchemes.FrontendJwt => JwtUser(bearer),
            _ => PlatformAdmin,
        };
    }

    /// <summary>The name as the audit log and log lines may hold it: through the card-data guard.</summary>
    public static string ForRecord(string credential) => RouteTemplate.Redacted(credential);

    /// <summary><c>jwt:</c> and 16 letters of SHA-256(tenant_id "/" sub) from the unverified payload; letters only, so no digit run.</summary>
    private static string JwtUser(string token)
    {
        var parts = token.Split('.');
        try
        {
            using var payload = JsonDocument.Parse(Base64UrlDecode(parts[1]));
            var root = payload.RootElement;
            var tenant = root.TryGetProperty(FrontendJwtAuthentication.TenantClaim, out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            var subject = root.TryGetProperty(FrontendJwtAuthentication.SubjectClaim, out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            if (tenant is null || subject is null)
            {
                return "jwt:malformed";
            }
            var digest = SHA256.HashData(Encoding.UTF8.GetBytes(tenant + "/" + subject));
            return "jwt:" + string.Concat(digest.Take(8).Select(b => $"{(char)('a' + (b >> 4))}{(char)('a' + (b & 0xF))}"));
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or ArgumentException or IndexOutOfRangeException)
        {
            return "jwt:malformed";
        }
    }

    private static byte[] Base64UrlDecode(string text) => Convert.FromBase64String(
        text.Replace('-', '+').Replace('_', '/') + new string('=', (4 - text.Length % 4) % 4));
}

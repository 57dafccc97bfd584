using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Platform.Integration.Tests.Infrastructure;

/// <summary>Frontend JWTs as a tenant's identity provider would mint them (HS256).</summary>
public static class TestTokens
{
    /// <summary>The issuer and audience every test API host requires (PlatformCluster); null omits the claim.</summary>
    public const string Issuer = "https://auth.platform.test/";
    public const string Audience = "https://api.platform.test";

    public static string Jwt(string secret, string? tenantId, string role = "admin", string subject = "user_1",
        DateTime? expires = null, DateTime? notBefore = null, string? issuer = Issuer, string? audience = Audience,
        IDictionary<string, object>? headers = null)
    {
        var claims = new List<Claim> { new("sub", subject), new("role", role) };
        if (tenantId is not null)
        {
            claims.Add(new Claim("tenant_id", tenantId));
        }
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity(claims),
            NotBefore = notBefore ?? now.AddMinutes(-5),
            IssuedAt = notBefore ?? now.AddMinutes(-5),
            Expires = expires ?? now.AddMinutes(10),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)), SecurityAlgorithms.HmacSha256),
            Issuer = issuer,
            Audience = audience,
            AdditionalHeaderClaims = headers,
        });
    }
}

using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Platform.Api.Hosting;

namespace Platform.Api.Auth;

/// <summary>The platform operator: the bearer token equals <c>Platform:AdminToken</c> (compared in constant time).</summary>
public sealed class PlatformAdminAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    IOptionsMonitor<PlatformApiOptions> platform, Security.AuthFailureGuard guard)
    : ProblemAuthenticationHandler(options, logger, encoder, guard)
{
    protected override Task<AuthenticateResult> AuthenticateCredentialAsync()
    {
        var token = CredentialSelector.BearerToken(Request);
        if (token is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        var expected = platform.CurrentValue.AdminToken;
        // Hash both sides so the comparison's time does not even reveal the token's length.
        if (string.IsNullOrEmpty(expected)
            || !CryptographicOperations.FixedTimeEquals(
                SHA256.HashData(Encoding.UTF8.GetBytes(token)), SHA256.HashData(Encoding.UTF8.GetBytes(expected))))
        {
            return Task.FromResult(AuthenticateResult.Fail("invalid admin token"));
        }
        var identity = new ClaimsIdentity(
            [new Claim(PlatformClaims.Caller, PlatformClaims.CallerPlatformAdmin), new Claim(ClaimTypes.Name, "platform-admin")],
            Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }
}

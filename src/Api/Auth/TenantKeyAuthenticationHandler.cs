using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Tenants;

namespace Platform.Api.Auth;

/// <summary>
/// A tenant backend: <c>Bearer sk_&lt;key&gt;_&lt;secret&gt;</c>. The key's grain verifies the secret on
/// every request; nothing is cached here, so a revocation takes effect at once on every replica. The
/// same call takes the request's rate-limit permit (<see cref="RateLimiting.ClusterRateLimiter"/>).
/// </summary>
public sealed class TenantKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    IGrainFactory grains, Security.AuthFailureGuard guard, RateLimiting.ClusterRateLimiter limiter)
    : ProblemAuthenticationHandler(options, logger, encoder, guard)
{
    protected override async Task<AuthenticateResult> AuthenticateCredentialAsync()
    {
        var token = CredentialSelector.BearerToken(Request);
        if (token is null)
        {
            return AuthenticateResult.NoResult();
        }
        var keyId = KeyIdOf(token);
        if (keyId is null)
        {
            return AuthenticateResult.Fail("malformed tenant key");
        }
        var limit = await limiter.Prepare(Context, keyId, customerId: null);
        var (principal, decision) = await grains.GetGrain<IApiKeyGrain>(keyId).VerifyAsync(token, limit);
        if (principal is null)
        {
            return AuthenticateResult.Fail("unknown or revoked tenant key");
        }
        limiter.Decided(Context, keyId, principal.TenantId, limit, decision);
        var identity = new ClaimsIdentity(
            [
                new Claim(PlatformClaims.Caller, PlatformClaims.CallerTenant),
                new Claim(PlatformClaims.TenantId, principal.TenantId),
                new Claim(PlatformClaims.Role, Policies.RoleName(principal.Role)),
                new Claim(PlatformClaims.CredentialId, principal.KeyId),
            ],
            Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    /// <summary><c>sk_&lt;20 base62&gt;_&lt;secret&gt;</c> → <c>key_&lt;20 base62&gt;</c>, or null when malformed.</summary>
    public static string? KeyIdOf(string token)
    {
        var start = PlatformIds.TenantSecretPrefix.Length;
        var end = token.IndexOf('_', start);
        if (end <= start || token.Length > 200)
        {
            return null;
        }
        var keyId = PlatformIds.ApiKeyPrefix + token[start..end];
        return PlatformIds.IsApiKeyId(keyId) ? keyId : null;
    }
}

using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Tenants;

namespace Platform.Api.Auth;

/// <summary>
/// A tenant backend: <c>Bearer sk_&lt;key&gt;_&lt;secret&gt;</c>. The key's grain verifies the secret the
/// first time this host sees it (that call also takes the request's rate-limit permit,
/// <see cref="RateLimiting.ClusterRateLimiter"/>); then the host's <see cref="CredentialCache"/> answers
/// until the key is revoked (pushed to every host) or the entry's short lifetime ends.
/// </summary>
public sealed class TenantKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    IGrainFactory grains, Security.AuthFailureGuard guard, RateLimiting.ClusterRateLimiter limiter, CredentialCache cache)
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
        var digest = CredentialDigest.Of(token);
        var metrics = Context.RequestServices.GetRequiredService<Telemetry.ApiMetrics>();
        if (cache.TryGet(digest, out var known) && known.Role is { } knownRole)
        {
            metrics.CredentialVerified(Scheme.Name, fromCache: true);
            return Success(known.CredentialId, known.TenantId, knownRole);
        }
        var generation = cache.BeginVerification();
        var limit = await limiter.Prepare(Context, keyId, customerId: null);
        var (principal, decision) = await grains.GetGrain<IApiKeyGrain>(keyId).VerifyAsync(token, limit);
        if (principal is null)
        {
            return AuthenticateResult.Fail("unknown or revoked tenant key");
        }
        metrics.CredentialVerified(Scheme.Name, fromCache: false);
        cache.Add(digest, principal.KeyId, principal.TenantId, principal.Role, customerId: null, generation);
        limiter.Decided(Context, keyId, principal.TenantId, limit, decision);
        return Success(principal.KeyId, principal.TenantId, principal.Role);
    }

    private AuthenticateResult Success(string keyId, string tenantId, ApiKeyRole role)
    {
        var identity = new ClaimsIdentity(
            [
                new Claim(PlatformClaims.Caller, PlatformClaims.CallerTenant),
                new Claim(PlatformClaims.TenantId, tenantId),
                new Claim(PlatformClaims.Role, Policies.RoleName(role)),
                new Claim(PlatformClaims.CredentialId, keyId),
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

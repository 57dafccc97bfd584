using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Customers;

namespace Platform.Api.Auth;

/// <summary>
/// A customer's own instance: <c>X-API-Key: cust_&lt;customer id&gt;_&lt;secret&gt;</c>. The customer's
/// credentials grain verifies it the first time this host sees it (taking the request's rate-limit permit
/// in the same call, <see cref="RateLimiting.ClusterRateLimiter"/>); then the host's
/// <see cref="CredentialCache"/> answers until the key is revoked (pushed to every host) or expires there.
/// </summary>
public sealed class CustomerKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    IGrainFactory grains, Security.AuthFailureGuard guard, RateLimiting.ClusterRateLimiter limiter, CredentialCache cache)
    : ProblemAuthenticationHandler(options, logger, encoder, guard)
{
    protected override async Task<AuthenticateResult> AuthenticateCredentialAsync()
    {
        var key = Request.Headers[CredentialSelector.CustomerKeyHeader].ToString();
        if (key.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }
        var customerId = CustomerIdOf(key);
        if (customerId is null)
        {
            return AuthenticateResult.Fail("malformed customer key");
        }
        var digest = CredentialDigest.Of(key);
        var metrics = Context.RequestServices.GetRequiredService<Telemetry.ApiMetrics>();
        if (cache.TryGet(digest, out var known) && known.CustomerId is { } knownCustomer)
        {
            metrics.CredentialVerified(Scheme.Name, fromCache: true);
            return Success(known.CredentialId, known.TenantId, knownCustomer);
        }
        var generation = cache.BeginVerification();
        var limit = await limiter.Prepare(Context, customerId, customerId);
        var (principal, decision) = await grains.GetGrain<ICustomerCredentialsGrain>(customerId).VerifyAsync(key, limit);
        if (principal is null)
        {
            return AuthenticateResult.Fail("unknown or revoked customer key");
        }
        metrics.CredentialVerified(Scheme.Name, fromCache: false);
        cache.Add(digest, principal.KeyId, principal.TenantId, role: null, principal.CustomerId, generation);
        limiter.Decided(Context, customerId, principal.TenantId, limit, decision);
        return Success(principal.KeyId, principal.TenantId, principal.CustomerId);
    }

    private AuthenticateResult Success(string keyId, string tenantId, string customerId)
    {
        var identity = new ClaimsIdentity(
            [
                new Claim(PlatformClaims.Caller, PlatformClaims.CallerCustomer),
                new Claim(PlatformClaims.TenantId, tenantId),
                new Claim(PlatformClaims.CustomerId, customerId),
                new Claim(PlatformClaims.CredentialId, keyId),
            ],
            Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    /// <summary><c>cust_cus_X_secret</c> → <c>cus_X</c>; null for any other shape.</summary>
    public static string? CustomerIdOf(string key)
    {
        if (!key.StartsWith(PlatformIds.CustomerSecretPrefix, StringComparison.Ordinal) || key.Length > 200)
        {
            return null;
        }
        var rest = key[PlatformIds.CustomerSecretPrefix.Length..];
        var end = rest.LastIndexOf('_');
        return end > 0 && PlatformIds.IsCustomerId(rest[..end]) ? rest[..end] : null;
    }
}

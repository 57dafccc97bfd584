using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Platform.Api.RateLimiting;
using Platform.Grains.Interfaces.Audit;
using Platform.Grains.Interfaces.RateLimiting;

namespace Platform.Api.Security;

/// <summary>
/// Brute-force protection: every failed authentication counts against the credential tried
/// (<see cref="CredentialTried"/>) from the client address, in a cluster-wide limiter grain, and is audited.
/// Past the limit that credential is locked out from that address for the rest of the window: this host then
/// answers 429 for it without checking it, and any other host does so from its next failure on (the
/// grain's count is shared). Any other credential from the same address (another tenant's key, the
/// platform admin) is checked as usual: one bad client behind a shared address (an ingress, a NAT) cannot
/// lock out everyone else.
/// </summary>
public sealed class AuthFailureGuard(
    IGrainFactory grains, IOptionsMonitor<RateLimitSettings> settings, IMemoryCache cache, ILogger<AuthFailureGuard> logger)
{
    public bool IsLockedOut(HttpContext context, out DateTimeOffset until) =>
        cache.TryGetValue(LockKey(context), out until);

    /// <summary>Records a failure; returns the refusing decision when the credential is now locked out from this address.</summary>
    public async Task<RateLimitDecision?> RecordFailureAsync(HttpContext context, string scheme)
    {
        var ip = ClientAddress.Of(context);
        // What the request named is the caller's input: stored and logged only through the card-data guard.
        var credential = CredentialTried.ForRecord(CredentialTried.Of(context));
        var audit = grains.GetGrain<IAuditLogGrain>(IAuditLogGrain.PlatformChain);
        if (settings.CurrentValue.Enabled)
        {
            var decision = await grains.GetGrain<IRateLimiterGrain>(LimiterKey(context))
                .AcquireAsync(settings.CurrentValue.RuleFor(RateLimitPolicies.AuthFailures));
            if (!decision.Allowed)
            {
                cache.Set(LockKey(context), decision.ResetAt, decision.ResetAt);
                // Audited once per window cluster-wide: the grain counts refusals for every host.
                if (decision.RefusalsInWindow == 1)
                {
                    logger.LogWarning("Credential {Credential} locked out from {Ip} after repeated authentication failures until {Until}",
                        credential, ip, decision.ResetAt);
                    await audit.AppendAsync(new AuditDraft(AuditActions.RateLimitLockout, ip,
                        new Dictionary<string, string> { ["scheme"] = scheme, ["credential"] = credential, ["until"] = decision.ResetAt.ToString("O") },
                        Actor: "anonymous", RequestId: context.TraceIdentifier, Ip: ip));
                }
                return decision;
            }
        }
        await audit.AppendAsync(new AuditDraft(AuditActions.AuthenticationFailed, ip,
            // The route template and the path redacted: the path is anyone's input, and this log is append-only.
            new Dictionary<string, string>
            {
                ["scheme"] = scheme,
                ["credential"] = credential,
                ["route"] = RouteTemplate.Of(context),
                ["path"] = RouteTemplate.RedactedPath(context),
            },
            Actor: "anonymous", RequestId: context.TraceIdentifier, Ip: ip));
        return null;
    }

    /// <summary>The limiter grain of a credential tried from an address; the credential's length is bounded by its parsers.</summary>
    private static string LimiterKey(HttpContext context) =>
        $"{RateLimitPolicies.AuthFailures}/{CredentialTried.Of(context)}/{ClientAddress.Of(context)}";

    private static string LockKey(HttpContext context) => "auth-lockout:" + CredentialTried.Of(context) + "/" + ClientAddress.Of(context);
}

using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Platform.Api.RateLimiting;
using Platform.Grains.Interfaces.Audit;
using Platform.Grains.Interfaces.RateLimiting;

namespace Platform.Api.Security;

/// <summary>
/// Brute-force protection: every failed authentication counts against the client address in a
/// cluster-wide limiter grain and is audited. Past the limit the address is locked out for the rest of
/// the window: this host then answers 429 without checking credentials at all, and any other host does
/// so from its next failure on (the grain's count is shared).
/// </summary>
public sealed class AuthFailureGuard(
    IGrainFactory grains, IOptionsMonitor<RateLimitSettings> settings, IMemoryCache cache, ILogger<AuthFailureGuard> logger)
{
    public bool IsLockedOut(HttpContext context, out DateTimeOffset until) =>
        cache.TryGetValue(LockKey(context), out until);

    /// <summary>Records a failure; returns the refusing decision when the address is now locked out.</summary>
    public async Task<RateLimitDecision?> RecordFailureAsync(HttpContext context, string scheme)
    {
        var ip = ClientAddress.Of(context);
        var audit = grains.GetGrain<IAuditLogGrain>(IAuditLogGrain.PlatformChain);
        if (settings.CurrentValue.Enabled)
        {
            var decision = await grains.GetGrain<IRateLimiterGrain>(RateLimitPolicies.AuthFailures + "/" + ip)
                .AcquireAsync(settings.CurrentValue.RuleFor(RateLimitPolicies.AuthFailures));
            if (!decision.Allowed)
            {
                cache.Set(LockKey(context), decision.ResetAt, decision.ResetAt);
                // Audited once per window cluster-wide: the grain counts refusals for every host.
                if (decision.RefusalsInWindow == 1)
                {
                    logger.LogWarning("Client {Ip} locked out after repeated authentication failures until {Until}", ip, decision.ResetAt);
                    await audit.AppendAsync(new AuditDraft(AuditActions.RateLimitLockout, ip,
                        new Dictionary<string, string> { ["scheme"] = scheme, ["until"] = decision.ResetAt.ToString("O") },
                        Actor: "anonymous", RequestId: context.TraceIdentifier, Ip: ip));
                }
                return decision;
            }
        }
        await audit.AppendAsync(new AuditDraft(AuditActions.AuthenticationFailed, ip,
            // The route template and the path redacted: the path is anyone's input, and this log is append-only.
            new Dictionary<string, string> { ["scheme"] = scheme, ["route"] = RouteTemplate.Of(context), ["path"] = RouteTemplate.RedactedPath(context) },
            Actor: "anonymous", RequestId: context.TraceIdentifier, Ip: ip));
        return null;
    }

    private static string LockKey(HttpContext context) => "auth-lockout:" + ClientAddress.Of(context);
}

using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Platform.Api.RateLimiting;
using Platform.Grains.Interfaces.Audit;
using Platform.Grains.Interfaces.RateLimiting;

namespace Platform.Api.StripeWebhooks;

/// <summary>
/// What a flood of unsigned or badly signed posts to the Stripe webhook route costs: a count per client
/// address in a cluster-wide limiter grain, one audit entry and one log line per address per window (the
/// window's first refusal), and past the limit a lockout of that address from the route, answered on this
/// host without calling the cluster. Genuine deliveries come from Stripe's addresses and spend the
/// platform-wide budget only after their signature is verified, so a flood never starves them.
/// </summary>
public sealed class WebhookRefusalGuard(
    IGrainFactory grains, IOptionsMonitor<RateLimitSettings> settings, IMemoryCache cache, ILogger<WebhookRefusalGuard> logger)
{
    /// <summary>The refusal codes of a post that Stripe did not sign (as the PCI grain names them).</summary>
    public static readonly IReadOnlySet<string> UnsignedCodes =
        new HashSet<string>(StringComparer.Ordinal) { "signature_missing", "signature_invalid", "timestamp_out_of_tolerance" };

    public bool IsLockedOut(HttpContext context, out DateTimeOffset until) => cache.TryGetValue(LockKey(context), out until);

    /// <summary>The platform-wide budget a verified delivery spends, or null when limits are off.</summary>
    public RateLimitRequest? Budget() => settings.CurrentValue.Enabled
        ? new RateLimitRequest(RateLimitPolicies.Webhook + "/stripe", settings.CurrentValue.RuleFor(RateLimitPolicies.Webhook))
        : null;

    /// <summary>Counts a refused post; returns the refusing decision when the address is now locked out.</summary>
    public async Task<RateLimitDecision?> RecordRefusalAsync(HttpContext context, string code)
    {
        if (!settings.CurrentValue.Enabled)
        {
            return null;
        }
        var ip = ClientAddress.Of(context);
        var rule = settings.CurrentValue.RuleFor(RateLimitPolicies.WebhookRefusals);
        var decision = await grains.GetGrain<IRateLimiterGrain>($"{RateLimitPolicies.WebhookRefusals}/{ip}").AcquireAsync(rule);
        if (decision.Allowed && decision.Remaining == decision.Limit - 1)
        {
            // The window's first refusal from this address is the one audited; the rest are counted
            // (platform_billing_webhook_events_total{type="unverified"}) and, past the limit, locked out.
            logger.LogWarning("Refused a Stripe webhook post from {Ip} ({Code}); further refusals from it in the next {Window} s are counted, not logged",
                ip, code, (long)rule.Window.TotalSeconds);
            await grains.GetGrain<IAuditLogGrain>(IAuditLogGrain.PlatformChain).AppendAsync(new AuditDraft(
                AuditActions.StripeWebhookRefused, "stripe_webhook",
                new Dictionary<string, string>
                {
                    ["code"] = code,
                    ["window_seconds"] = ((long)rule.Window.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["lockout_after"] = rule.PermitLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
                },
                Actor: "anonymous", RequestId: context.TraceIdentifier, Ip: ip));
        }
        if (decision.Allowed)
        {
            return null;
        }
        cache.Set(LockKey(context), decision.ResetAt, decision.ResetAt);
        return decision;
    }

    private static string LockKey(HttpContext context) => "webhook-refusals:" + ClientAddress.Of(context);
}

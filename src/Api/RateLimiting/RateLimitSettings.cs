using Platform.Grains.Interfaces.RateLimiting;

namespace Platform.Api.RateLimiting;

/// <summary>
/// The <c>RateLimits</c> section: platform defaults per policy; a tenant may have its own per policy
/// (POST /v1/tenants/{id}/rate_limits). The defaults are sized for a tenant's backend, as Stripe's are
/// (about 100 requests a second for the API, more for usage ingestion); the seeds' browser-sized numbers
/// remain for anonymous traffic only. docs/SECURITY.md holds the table.
/// </summary>
public sealed class RateLimitSettings
{
    public const string SectionName = "RateLimits";

    /// <summary>Off switches everything off (benchmarks measure its cost); on by default.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Permits an API host leases from a limiter grain at once (<see cref="PermitLeases"/>); 1 asks the grain
    /// for every request. A host holds at most this many − 1 unused per key, the bound on early refusals
    /// per other host.
    /// </summary>
    public int LeaseSize { get; set; } = 32;

    /// <summary>Admin limits are off in Development unless this says otherwise.</summary>
    public bool AdminInDevelopment { get; set; }

    /// <summary>Every /v1 route, per tenant (its keys and frontend users together) or per customer key: 100 a second over a minute.</summary>
    public PolicyLimit Api { get; set; } = new() { PermitLimit = 6_000, WindowSeconds = 60 };

    /// <summary>Usage reporting requests (each up to 1,000 events), per tenant or per customer key: 250 a second over a minute.</summary>
    public PolicyLimit Usage { get; set; } = new() { PermitLimit = 15_000, WindowSeconds = 60 };

    /// <summary>Requests without a credential (the seeds' numbers), per client address.</summary>
    public PolicyLimit Anonymous { get; set; } = new() { PermitLimit = 100, WindowSeconds = 15 * 60 };

    /// <summary>Stripe's deliveries, platform-wide: high enough for Stripe's bursts (it retries after a 429 anyway).</summary>
    public PolicyLimit Webhook { get; set; } = new() { PermitLimit = 10_000, WindowSeconds = 60 };

    public PolicyLimit Admin { get; set; } = new() { PermitLimit = 10, WindowSeconds = 60 * 60 };

    /// <summary>Failed authentications per credential tried and client address before that credential is locked out there for the window.</summary>
    public PolicyLimit AuthFailures { get; set; } = new() { PermitLimit = 20, WindowSeconds = 15 * 60 };

    /// <summary>Refused Stripe webhook posts per client address before the address is locked out of the webhook route for the window.</summary>
    public PolicyLimit WebhookRefusals { get; set; } = new() { PermitLimit = 20, WindowSeconds = 10 * 60 };

    public RateLimitRule RuleFor(string policy) => (policy switch
    {
        RateLimitPolicies.Api => Api,
        RateLimitPolicies.Usage => Usage,
        RateLimitPolicies.Webhook => Webhook,
        RateLimitPolicies.Admin => Admin,
        RateLimitPolicies.AuthFailures => AuthFailures,
        RateLimitPolicies.WebhookRefusals => WebhookRefusals,
        RateLimitPolicies.Anonymous => Anonymous,
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "unknown rate-limit policy"),
    }).ToRule();

    /// <summary>The configuration key that sets a policy's permit count, e.g. <c>RateLimits:Api:PermitLimit</c>.</summary>
    public static string ConfigurationKey(string policy) => policy switch
    {
        RateLimitPolicies.AuthFailures => $"{SectionName}:AuthFailures:PermitLimit",
        RateLimitPolicies.WebhookRefusals => $"{SectionName}:WebhookRefusals:PermitLimit",
        _ => $"{SectionName}:{char.ToUpperInvariant(policy[0])}{policy[1..]}:PermitLimit",
    };
}

public sealed class PolicyLimit
{
    public int PermitLimit { get; set; }

    public int WindowSeconds { get; set; }

    public RateLimitRule ToRule() => new(PermitLimit, TimeSpan.FromSeconds(WindowSeconds));
}

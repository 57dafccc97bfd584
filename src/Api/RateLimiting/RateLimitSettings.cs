using Platform.Grains.Interfaces.RateLimiting;

namespace Platform.Api.RateLimiting;

/// <summary>
/// The <c>RateLimits</c> section: platform defaults per policy; a tenant may have its own per policy
/// (POST /v1/tenants/{id}/rate_limits). Defaults are the seeds' numbers.
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

    public PolicyLimit Api { get; set; } = new() { PermitLimit = 100, WindowSeconds = 15 * 60 };

    public PolicyLimit Usage { get; set; } = new() { PermitLimit = 60, WindowSeconds = 60 * 60 };

    /// <summary>Stripe's deliveries, platform-wide: high enough for Stripe's bursts (it retries after a 429 anyway).</summary>
    public PolicyLimit Webhook { get; set; } = new() { PermitLimit = 10_000, WindowSeconds = 60 };

    public PolicyLimit Admin { get; set; } = new() { PermitLimit = 10, WindowSeconds = 60 * 60 };

    /// <summary>Failed authentications per client address before it is locked out for the window.</summary>
    public PolicyLimit AuthFailures { get; set; } = new() { PermitLimit = 20, WindowSeconds = 15 * 60 };

    public RateLimitRule RuleFor(string policy) => (policy switch
    {
        RateLimitPolicies.Api => Api,
        RateLimitPolicies.Usage => Usage,
        RateLimitPolicies.Webhook => Webhook,
        RateLimitPolicies.Admin => Admin,
        RateLimitPolicies.AuthFailures => AuthFailures,
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "unknown rate-limit policy"),
    }).ToRule();
}

public sealed class PolicyLimit
{
    public int PermitLimit { get; set; }

    public int WindowSeconds { get; set; }

    public RateLimitRule ToRule() => new(PermitLimit, TimeSpan.FromSeconds(WindowSeconds));
}

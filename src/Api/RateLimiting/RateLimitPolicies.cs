namespace Platform.Api.RateLimiting;

/// <summary>Policy names: configuration keys, tenant override keys and limiter grain key prefixes.</summary>
public static class RateLimitPolicies
{
    /// <summary>Every /v1 route unless it names another: per client address (per tenant when known).</summary>
    public const string Api = "api";

    /// <summary>Usage reporting: per customer.</summary>
    public const string Usage = "usage";

    /// <summary>Stripe's webhook deliveries: one platform-wide budget.</summary>
    public const string Webhook = "webhook";

    /// <summary>Platform-admin operations: per client address.</summary>
    public const string Admin = "admin";

    public const string AuthFailures = "auth_failures";

    public static readonly IReadOnlySet<string> TenantConfigurable = new HashSet<string> { Api, Usage };
}

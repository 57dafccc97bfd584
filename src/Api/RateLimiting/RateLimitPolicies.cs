namespace Platform.Api.RateLimiting;

/// <summary>Policy names: configuration keys, tenant override keys and limiter grain key prefixes.</summary>
public static class RateLimitPolicies
{
    /// <summary>Every /v1 route unless it names another: per tenant, per customer key, per address for the operator.</summary>
    public const string Api = "api";

    /// <summary>Usage reporting: per tenant, or per customer key.</summary>
    public const string Usage = "usage";

    /// <summary>An <see cref="Api"/> route called without a credential: per client address.</summary>
    public const string Anonymous = "anonymous";

    /// <summary>Stripe's webhook deliveries: one platform-wide budget.</summary>
    public const string Webhook = "webhook";

    /// <summary>Platform-admin operations: per client address.</summary>
    public const string Admin = "admin";

    public const string AuthFailures = "auth_failures";

    /// <summary>Stripe webhook posts refused (unsigned, badly signed, stale), per client address: past it the address is locked out.</summary>
    public const string WebhookRefusals = "webhook_refusals";

    public static readonly IReadOnlySet<string> TenantConfigurable = new HashSet<string> { Api, Usage };
}

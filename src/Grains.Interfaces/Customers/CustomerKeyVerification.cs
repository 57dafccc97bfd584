using Platform.Grains.Interfaces.RateLimiting;

namespace Platform.Grains.Interfaces.Customers;

/// <summary>What <see cref="ICustomerCredentialsGrain.VerifyAsync(string, RateLimitRequest?)"/> found: the principal
/// (null when the key does not verify) and, for a verified key asked to, the rate-limit decision.</summary>
[GenerateSerializer, Immutable, Alias("platform.customer_key_verification")]
public sealed record CustomerKeyVerification([property: Id(0)] CustomerPrincipal? Principal, [property: Id(1)] RateLimitDecision? Limit);

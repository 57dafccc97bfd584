using Platform.Grains.Interfaces.RateLimiting;

namespace Platform.Grains.Interfaces.Tenants;

/// <summary>What <see cref="IApiKeyGrain.VerifyAsync(string, RateLimitRequest?)"/> found: the principal (null when
/// the secret does not verify) and, for a verified key asked to, the rate-limit decision.</summary>
[GenerateSerializer, Immutable, Alias("platform.api_key_verification")]
public sealed record ApiKeyVerification([property: Id(0)] ApiKeyPrincipal? Principal, [property: Id(1)] RateLimitDecision? Limit);

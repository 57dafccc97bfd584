namespace Platform.Grains.Interfaces.RateLimiting;

/// <summary>A limiter's answer, with what the RateLimit-* headers need. <see cref="RefusalsInWindow"/> counts
/// refusals so far in this window, this one included: 1 marks the moment a limit was first hit.</summary>
[GenerateSerializer, Immutable, Alias("platform.rate_limit_decision")]
public sealed record RateLimitDecision(
    [property: Id(0)] bool Allowed,
    [property: Id(1)] int Limit,
    [property: Id(2)] int Remaining,
    [property: Id(3)] DateTimeOffset ResetAt,
    [property: Id(4)] int RefusalsInWindow = 0);

namespace Platform.Grains.Interfaces.RateLimiting;

/// <summary>A limiter's answer, with what the RateLimit-* headers need.</summary>
[GenerateSerializer, Immutable, Alias("platform.rate_limit_decision")]
public sealed record RateLimitDecision(
    [property: Id(0)] bool Allowed,
    [property: Id(1)] int Limit,
    [property: Id(2)] int Remaining,
    [property: Id(3)] DateTimeOffset ResetAt);

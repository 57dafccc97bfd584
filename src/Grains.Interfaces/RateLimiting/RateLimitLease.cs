namespace Platform.Grains.Interfaces.RateLimiting;

/// <summary>
/// <see cref="Granted"/> permits taken at once for one API host to hand out locally (0 when refused);
/// <see cref="Decision"/> is the limiter's state after the grant, for the first of them.
/// </summary>
[GenerateSerializer, Immutable, Alias("platform.rate_limit_lease")]
public sealed record RateLimitLease([property: Id(0)] int Granted, [property: Id(1)] RateLimitDecision Decision);

namespace Platform.Grains.Interfaces.RateLimiting;

/// <summary>At most <see cref="PermitLimit"/> requests per <see cref="Window"/>.</summary>
[GenerateSerializer, Immutable, Alias("platform.rate_limit_rule")]
public sealed record RateLimitRule([property: Id(0)] int PermitLimit, [property: Id(1)] TimeSpan Window);

namespace Platform.Grains.Interfaces.RateLimiting;

/// <summary>
/// Counters for one policy and key (<c>policy/key</c>), in memory. One activation cluster-wide means the
/// limit is exact however many API replicas ask.
/// </summary>
[Alias("platform.rate_limiter")]
public interface IRateLimiterGrain : IGrainWithStringKey
{
    /// <summary>Takes one permit when the window has one left.</summary>
    [Alias("acquire")]
    Task<RateLimitDecision> AcquireAsync(RateLimitRule rule);

    /// <summary>The current count without taking a permit (used for lockouts after failures).</summary>
    [Alias("peek")]
    Task<RateLimitDecision> PeekAsync(RateLimitRule rule);
}

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

    /// <summary>
    /// Takes up to <paramref name="want"/> permits for an API host to hand out without asking again: all of
    /// them only while at least <see cref="LeaseHeadroom"/> times as many remain, fewer as the window fills,
    /// and one at a time in the last <see cref="LeaseHeadroom"/> × 2, so the count near the limit is exact
    /// per request. Leased permits count as taken: the limit is never exceeded, whoever holds them.
    /// </summary>
    [Alias("lease")]
    Task<RateLimitLease> LeaseAsync(RateLimitRule rule, int want);

    /// <summary>Gives back permits leased in the window ending <paramref name="resetAt"/> and never used; ignored
    /// when that window has closed.</summary>
    [Alias("return")]
    Task ReturnAsync(RateLimitRule rule, DateTimeOffset resetAt, int unused);

    /// <summary>A lease is at most the remaining budget divided by this.</summary>
    public const int LeaseHeadroom = 8;

    /// <summary>The current count without taking a permit (used for lockouts after failures).</summary>
    [Alias("peek")]
    Task<RateLimitDecision> PeekAsync(RateLimitRule rule);
}

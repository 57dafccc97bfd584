using Platform.Grains.Interfaces.RateLimiting;

namespace Platform.Grains.RateLimiting;

/// <summary>
/// A fixed window that opens with the first request (so a client cannot burst twice across a
/// calendar boundary). Counters live in memory only: a lost activation forgets a window, which errs
/// towards letting requests through, never towards refusing them wrongly.
/// </summary>
public sealed class RateLimiterGrain(TimeProvider clock) : Grain, IRateLimiterGrain
{
    private DateTimeOffset _windowStart;
    private TimeSpan _window;
    private int _count;
    private int _refusals;

    public Task<RateLimitDecision> AcquireAsync(RateLimitRule rule) => Task.FromResult(Decide(rule, take: true));

    public Task<RateLimitDecision> PeekAsync(RateLimitRule rule) => Task.FromResult(Decide(rule, take: false));

    private RateLimitDecision Decide(RateLimitRule rule, bool take)
    {
        var now = clock.GetUtcNow();
        if (_window != rule.Window || now >= _windowStart + _window)
        {
            _windowStart = now;
            _window = rule.Window;
            _count = 0;
            _refusals = 0;
        }
        var resetAt = _windowStart + _window;
        // Keep the activation (and so the count) alive until the window closes.
        DelayDeactivation(resetAt - now);
        if (_count >= rule.PermitLimit)
        {
            return new RateLimitDecision(false, rule.PermitLimit, 0, resetAt, take ? ++_refusals : _refusals);
        }
        if (take)
        {
            _count++;
        }
        return new RateLimitDecision(true, rule.PermitLimit, rule.PermitLimit - _count, resetAt);
    }
}

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

    public Task<RateLimitLease> LeaseAsync(RateLimitRule rule, int want)
    {
        var remaining = rule.PermitLimit - Window(rule);
        var granted = Math.Clamp(Math.Min(want, remaining / IRateLimiterGrain.LeaseHeadroom), 1, Math.Max(1, want));
        var decision = Decide(rule, take: true);
        if (decision.Allowed)
        {
            // Decide took the first; the rest, bounded by what remains, go with it.
            var extra = Math.Min(granted - 1, rule.PermitLimit - _count);
            _count += extra;
            return Task.FromResult(new RateLimitLease(1 + extra, decision with { Remaining = rule.PermitLimit - _count }));
        }
        return Task.FromResult(new RateLimitLease(0, decision));
    }

    public Task ReturnAsync(RateLimitRule rule, DateTimeOffset resetAt, int unused)
    {
        if (_window == rule.Window && _windowStart + _window == resetAt && clock.GetUtcNow() < resetAt)
        {
            _count = Math.Max(0, _count - Math.Max(0, unused));
        }
        return Task.CompletedTask;
    }

    /// <summary>Opens a new window when the rule changed or the last one closed; answers the count so far.</summary>
    private int Window(RateLimitRule rule)
    {
        var now = clock.GetUtcNow();
        if (_window != rule.Window || now >= _windowStart + _window)
        {
            _windowStart = now;
            _window = rule.Window;
            _count = 0;
            _refusals = 0;
        }
        return _count;
    }

    private RateLimitDecision Decide(RateLimitRule rule, bool take)
    {
        Window(rule);
        var now = clock.GetUtcNow();
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

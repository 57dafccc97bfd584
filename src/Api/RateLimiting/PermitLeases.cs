using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Platform.Grains.Interfaces.RateLimiting;

namespace Platform.Api.RateLimiting;

/// <summary>
/// Rate-limit permits this API host holds, per limiter key: leased from the limiter grain a few at a time
/// (<see cref="IRateLimiterGrain.LeaseAsync"/>) so most requests take theirs without a call. The grain
/// counts leased permits as taken, so the limit is never exceeded. What a lease can cost is early
/// refusals: while this host holds unused permits, another host may be refused at the limit; a host
/// holds at most <see cref="RateLimitSettings.LeaseSize"/> − 1 per key, and gives them back after
/// <see cref="IdleReturn"/> without use. Near the limit the grain leases one at a time, which is exact.
/// </summary>
public sealed class PermitLeases(IGrainFactory grains, IOptionsMonitor<RateLimitSettings> settings, TimeProvider clock,
    ILogger<PermitLeases> logger) : BackgroundService
{
    /// <summary>Unused permits held this long without a request are returned to the grain.</summary>
    public static readonly TimeSpan IdleReturn = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan ForgetAfter = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Slot> _slots = new(StringComparer.Ordinal);

    /// <summary>The decision for one request, and whether it came from a permit this host already held.</summary>
    public async ValueTask<(RateLimitDecision Decision, bool Leased)> TakeAsync(RateLimitRequest request)
    {
        var size = settings.CurrentValue.LeaseSize;
        var grain = grains.GetGrain<IRateLimiterGrain>(request.LimiterKey);
        if (size <= 1)
        {
            return (await grain.AcquireAsync(request.Rule), false);
        }
        var slot = _slots.GetOrAdd(request.LimiterKey, static _ => new Slot());
        var called = false;
        while (true)
        {
            Task<RateLimitLease> refill;
            TaskCompletionSource<RateLimitLease>? mine = null;
            lock (slot)
            {
                var now = clock.GetUtcNow();
                slot.LastUsed = now;
                if (slot.Unused > 0 && slot.Rule == request.Rule && now < slot.ResetAt)
                {
                    slot.Unused--;
                    return (new RateLimitDecision(true, slot.Limit, slot.RemainingAtGrain + slot.Unused, slot.ResetAt), !called);
                }
                if (slot.Refill is { } pending)
                {
                    refill = pending;
                }
                else
                {
                    // One call per host and key at a time; the requests that arrive meanwhile wait for its lease.
                    mine = new TaskCompletionSource<RateLimitLease>(TaskCreationOptions.RunContinuationsAsynchronously);
                    slot.Refill = refill = mine.Task;
                    slot.Unused = 0;
                }
            }
            if (mine is not null)
            {
                called = true;
                await RefillAsync(slot, grain, request.Rule, size, mine);
            }
            try
            {
                // The lease is in the slot before this completes (no request spins on a finished call). A
                // refusal is shared with every request that waited for it: they would be refused in the same
                // instant.
                if (await refill is { Granted: 0 } refused)
                {
                    return (refused.Decision, false);
                }
            }
            catch (Exception) when (mine is null)
            {
                // The request that made the call reports its failure; this one asks again.
            }
        }
    }

    private static async Task RefillAsync(Slot slot, IRateLimiterGrain grain, RateLimitRule rule, int size,
        TaskCompletionSource<RateLimitLease> done)
    {
        try
        {
            var lease = await grain.LeaseAsync(rule, size);
            lock (slot)
            {
                slot.Rule = rule;
                slot.Limit = lease.Decision.Limit;
                slot.ResetAt = lease.Decision.ResetAt;
                slot.RemainingAtGrain = lease.Decision.Remaining;
                slot.Unused = lease.Granted;
                slot.Refill = null;
            }
            done.SetResult(lease);
        }
        catch (Exception e)
        {
            lock (slot)
            {
                slot.Refill = null;
            }
            done.SetException(e);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(IdleReturn, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await ReturnIdleAsync();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Gives back permits not used for <see cref="IdleReturn"/>, and forgets keys long idle.</summary>
    public async Task ReturnIdleAsync()
    {
        var now = clock.GetUtcNow();
        foreach (var (key, slot) in _slots)
        {
            (RateLimitRule Rule, DateTimeOffset ResetAt, int Unused)? giveBack = null;
            lock (slot)
            {
                if (now - slot.LastUsed < IdleReturn || slot.Refill is not null)
                {
                    continue;
                }
                if (slot.Unused > 0 && slot.Rule is not null && now < slot.ResetAt)
                {
                    giveBack = (slot.Rule, slot.ResetAt, slot.Unused);
                }
                slot.Unused = 0;
                if (now - slot.LastUsed >= ForgetAfter)
                {
                    _slots.TryRemove(new KeyValuePair<string, Slot>(key, slot));
                }
            }
            if (giveBack is var (rule, resetAt, unused))
            {
                try
                {
                    await grains.GetGrain<IRateLimiterGrain>(key).ReturnAsync(rule, resetAt, unused);
                }
                catch (Exception e)
                {
                    // Lost permits only make this window stricter; they come back when it closes.
                    logger.LogWarning(e, "Could not return {Unused} unused rate-limit permits", unused);
                }
            }
        }
    }

    private sealed class Slot
    {
        public RateLimitRule? Rule { get; set; }

        public int Limit { get; set; }

        public DateTimeOffset ResetAt { get; set; }

        /// <summary>What the grain had left when it granted the lease this host holds.</summary>
        public int RemainingAtGrain { get; set; }

        public int Unused { get; set; }

        public Task<RateLimitLease>? Refill { get; set; }

        public DateTimeOffset LastUsed { get; set; }
    }
}

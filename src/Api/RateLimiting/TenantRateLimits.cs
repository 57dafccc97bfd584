using Microsoft.Extensions.Caching.Memory;
using Platform.Grains.Interfaces.RateLimiting;
using Platform.Grains.Interfaces.Tenants;

namespace Platform.Api.RateLimiting;

/// <summary>
/// A tenant's rate-limit overrides, cached for 30 s per API host: a changed limit reaches every replica
/// within that time, and the request path makes no extra grain call for it otherwise.
/// </summary>
public sealed class TenantRateLimits(IGrainFactory grains, IMemoryCache cache)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    public async ValueTask<RateLimitRule?> OverrideAsync(string tenantId, string policy)
    {
        if (!cache.TryGetValue(tenantId, out IReadOnlyDictionary<string, RateLimitRule>? limits))
        {
            limits = await grains.GetGrain<ITenantGrain>(tenantId).GetRateLimitsAsync();
            cache.Set(tenantId, limits, CacheFor);
        }
        return limits!.TryGetValue(policy, out var rule) ? rule : null;
    }
}

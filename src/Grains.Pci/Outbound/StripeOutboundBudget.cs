using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Platform.Grains.Pci.Outbound;

/// <summary>This silo's token bucket for requests to Stripe (see <see cref="StripeOptions.RequestsPerSecond"/>).</summary>
public sealed class StripeOutboundBudget : IDisposable
{
    public StripeOutboundBudget(IOptions<StripeOptions> options)
    {
        var perSecond = options.Value.RequestsPerSecond;
        Limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = perSecond,
            TokensPerPeriod = perSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            // Up to two seconds of demand may wait its turn; beyond that a caller is better told to retry.
            QueueLimit = perSecond * 2,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    public RateLimiter Limiter { get; }

    public void Dispose() => Limiter.Dispose();
}

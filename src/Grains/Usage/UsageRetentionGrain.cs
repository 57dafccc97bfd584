using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Usage;

namespace Platform.Grains.Usage;

/// <summary>Deletes old usage log rows in bounded batches, never younger than the configured minimum age.</summary>
[StatelessWorker(1)]
public sealed class UsageRetentionGrain(
    UsageLog log,
    IOptions<UsageOptions> options,
    TimeProvider clock,
    ILogger<UsageRetentionGrain> logger) : Grain, IUsageRetentionGrain
{
    public async Task<UsageRetentionResult> DeleteBeforeAsync(DateTimeOffset before)
    {
        var settings = options.Value;
        var newest = clock.GetUtcNow() - settings.RetentionMinimumAge;
        if (before > newest)
        {
            throw new PlatformException(PlatformErrorKind.InvalidRequest, "parameter_invalid",
                $"before must be at least {settings.RetentionMinimumAge.TotalDays:0} days in the past (at most {newest.ToUnixTimeSeconds()}).",
                "before");
        }
        var started = Stopwatch.StartNew();
        long deleted = 0;
        var batches = 0;
        var hasMore = false;
        while (true)
        {
            var count = await log.DeleteBatchAsync(before, settings.RetentionBatchSize);
            batches++;
            deleted += count;
            if (count < settings.RetentionBatchSize)
            {
                break;
            }
            if (started.Elapsed > settings.RetentionCallBudget)
            {
                hasMore = true;
                break;
            }
        }
        // The audit trail of the security work reads this event; the log line is its hook until then.
        logger.LogInformation("Usage retention deleted {Deleted} rows dated before {Before} in {Batches} batches (more: {HasMore})",
            deleted, before, batches, hasMore);
        return new UsageRetentionResult(before, deleted, batches, hasMore);
    }
}

using Microsoft.Extensions.Options;
using Platform.Grains.Interfaces.Usage;

namespace Platform.Grains.Usage;

/// <summary>Refuses settings that would break exactly-once or make the writer useless.</summary>
public sealed class UsageOptionsValidator : IValidateOptions<UsageOptions>
{
    public ValidateOptionsResult Validate(string? name, UsageOptions options)
    {
        var failures = new List<string>();
        if (options.RetentionMinimumAge < UsageRules.MaxAge)
        {
            failures.Add($"Usage:RetentionMinimumAge must be at least {UsageRules.MaxAge.TotalDays} days (the deduplication window).");
        }
        if (options.RetentionBatchSize < 1 || options.MaxRowsPerStatement < 1 || options.ConcurrentWriters < 1)
        {
            failures.Add("Usage:RetentionBatchSize, MaxRowsPerStatement and ConcurrentWriters must be positive.");
        }
        if (options.ForwardingInterval <= TimeSpan.Zero || options.ForwardingBatchesPerTick < 1 || options.WriteTimeout <= TimeSpan.Zero)
        {
            failures.Add("Usage:ForwardingInterval, ForwardingBatchesPerTick and WriteTimeout must be positive.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

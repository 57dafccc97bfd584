using Microsoft.Extensions.Options;

namespace Platform.Grains.Pci.Usage;

/// <summary>Refuses meter event names Stripe would refuse (1 to 100 characters).</summary>
public sealed class StripeMeterOptionsValidator : IValidateOptions<StripeMeterOptions>
{
    public ValidateOptionsResult Validate(string? name, StripeMeterOptions options)
    {
        var failures = new List<string>();
        foreach (var (metric, eventName) in options.MeterEventNames)
        {
            if (string.IsNullOrWhiteSpace(eventName) || eventName.Length > 100)
            {
                failures.Add($"Usage:MeterEventNames:{metric} must be a Stripe meter event name of 1 to 100 characters.");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

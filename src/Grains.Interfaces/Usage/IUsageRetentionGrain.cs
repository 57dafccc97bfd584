namespace Platform.Grains.Interfaces.Usage;

/// <summary>Deletes old rows of the usage log, platform-wide (any key; a stateless worker).</summary>
[Alias("platform.usage_retention")]
public interface IUsageRetentionGrain : IGrainWithIntegerKey
{
    /// <summary>Deletes rows dated before <paramref name="before"/> in bounded batches. Refuses a cut-off
    /// younger than the configured minimum age (PlatformException, InvalidRequest, param <c>before</c>).</summary>
    [Alias("delete_before")]
    Task<UsageRetentionResult> DeleteBeforeAsync(DateTimeOffset before);
}

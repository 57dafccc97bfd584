namespace Platform.Grains.Interfaces.Usage;

/// <summary>What a retention call removed: rows dated before <see cref="Before"/>, in <see cref="Batches"/>
/// statements. <see cref="HasMore"/> says the call stopped at its time budget; call again.</summary>
[GenerateSerializer, Immutable, Alias("platform.usage_retention_result")]
public sealed record UsageRetentionResult(
    [property: Id(0)] DateTimeOffset Before,
    [property: Id(1)] long Deleted,
    [property: Id(2)] int Batches,
    [property: Id(3)] bool HasMore);

namespace Platform.Grains.Interfaces.DataProtection;

/// <summary>An erasure as it stands: the steps done so far, and the last failure while it is resuming.</summary>
[GenerateSerializer, Immutable, Alias("platform.customer_erasure")]
public sealed record CustomerErasure(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] ErasureStatus Status,
    [property: Id(2)] IReadOnlyList<ErasureStep> StepsCompleted,
    [property: Id(3)] DateTimeOffset Requested,
    [property: Id(4)] DateTimeOffset? Completed,
    [property: Id(5)] int Attempts,
    [property: Id(6)] string? LastError);

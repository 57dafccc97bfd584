namespace Platform.Grains.Interfaces.Audit;

/// <summary>The outcome of recomputing a chain: intact, or the first entry whose hash or link is wrong.</summary>
[GenerateSerializer, Immutable, Alias("platform.audit_verification")]
public sealed record AuditVerification(
    [property: Id(0)] bool Intact,
    [property: Id(1)] long EntriesChecked,
    [property: Id(2)] long? FirstBrokenSequence,
    [property: Id(3)] string? FirstBrokenId,
    [property: Id(4)] string? Reason);

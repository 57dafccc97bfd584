namespace Platform.Grains.Interfaces.Audit;

[GenerateSerializer, Immutable, Alias("platform.audit_entry")]
public sealed record AuditEntry(
    [property: Id(0)] string Id,
    [property: Id(1)] string Chain,
    [property: Id(2)] long Sequence,
    [property: Id(3)] DateTimeOffset Occurred,
    [property: Id(4)] string Actor,
    [property: Id(5)] string Action,
    [property: Id(6)] string Subject,
    [property: Id(7)] string? RequestId,
    [property: Id(8)] string? Ip,
    [property: Id(9)] IReadOnlyDictionary<string, string> Details,
    [property: Id(10)] string PreviousHash,
    [property: Id(11)] string Hash);

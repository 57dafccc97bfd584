namespace Platform.Grains.Interfaces.Audit;

/// <summary>What happened, to whom; the writer adds who, when, where and the chain hash.
/// Details hold ids and outcomes only: never a secret, a card number or personal data beyond ids.</summary>
[GenerateSerializer, Immutable, Alias("platform.audit_draft")]
public sealed record AuditDraft(
    [property: Id(0)] string Action,
    [property: Id(1)] string Subject,
    [property: Id(2)] IReadOnlyDictionary<string, string> Details,
    [property: Id(3)] string? Actor = null,
    [property: Id(4)] string? RequestId = null,
    [property: Id(5)] string? Ip = null);

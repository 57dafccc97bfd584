namespace Platform.Grains.Interfaces.Audit;

/// <summary>A page of the audit trail in [<see cref="Since"/>, <see cref="Until"/>): one chain, or every chain when
/// <see cref="Chain"/> is null; oldest first, after the <see cref="StartingAfter"/> entry id.</summary>
[GenerateSerializer, Immutable, Alias("platform.audit_export_request")]
public sealed record AuditExportRequest(
    [property: Id(0)] DateTimeOffset Since,
    [property: Id(1)] DateTimeOffset Until,
    [property: Id(2)] string? Chain,
    [property: Id(3)] int Limit,
    [property: Id(4)] string? StartingAfter);

using Platform.Grains.Interfaces.Common;

namespace Platform.Grains.Interfaces.Audit;

/// <summary>
/// Reads the audit trail of a time window across chains, for an incident (the operator's export). Each
/// first page (no cursor) is itself audited on the platform chain, so the trail shows who exported what.
/// </summary>
[Alias("platform.audit_export")]
public interface IAuditExportGrain : IGrainWithIntegerKey
{
    [Alias("export")]
    Task<Page<AuditEntry>> ExportAsync(AuditExportRequest request);
}

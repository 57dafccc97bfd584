using Platform.Grains.Interfaces.Common;

namespace Platform.Grains.Interfaces.Audit;

/// <summary>
/// One tamper-evident chain, keyed by a tenant id (or "platform" for operator-level events). The
/// single activation is the chain's only writer, so each entry links to the one before without races.
/// </summary>
[Alias("platform.audit_log")]
public interface IAuditLogGrain : IGrainWithStringKey
{
    public const string PlatformChain = "platform";

    [Alias("append")]
    Task<AuditEntry> AppendAsync(AuditDraft draft);

    /// <summary>Newest first; the cursor is an entry id.</summary>
    [Alias("list")]
    Task<Page<AuditEntry>> ListAsync(PageRequest request);

    /// <summary>Up to <paramref name="limit"/> entries about one resource (subject, or the <c>customer</c> detail), newest first.</summary>
    [Alias("list_about")]
    Task<IReadOnlyList<AuditEntry>> ListAboutAsync(string resourceId, int limit);

    [Alias("verify")]
    Task<AuditVerification> VerifyAsync();
}

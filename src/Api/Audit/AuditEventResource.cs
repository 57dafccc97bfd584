using Platform.Api.Common;
using Platform.Grains.Interfaces.Audit;

namespace Platform.Api.Audit;

public sealed record AuditEventResource(
    string Id, long Sequence, long Created, string Actor, string Action, string Subject,
    string? RequestId, string? Ip, IReadOnlyDictionary<string, string> Details, string PreviousHash, string Hash)
{
    [System.Text.Json.Serialization.JsonPropertyOrder(-1)]
    public string Object => "audit_event";

    public static AuditEventResource From(AuditEntry entry) => new(
        entry.Id, entry.Sequence, UnixTime.Seconds(entry.Occurred), entry.Actor, entry.Action, entry.Subject,
        entry.RequestId, entry.Ip, entry.Details, entry.PreviousHash, entry.Hash);
}

public sealed record AuditVerificationResource(string Chain, bool Intact, long EntriesChecked, long? FirstBrokenSequence, string? FirstBrokenId, string? Reason)
{
    [System.Text.Json.Serialization.JsonPropertyOrder(-1)]
    public string Object => "audit_verification";
}

/// <summary>An entry of an export across chains: the audit event with the chain it belongs to.</summary>
public sealed record AuditExportEntryResource(
    string Id, string Chain, long Sequence, long Created, string Actor, string Action, string Subject,
    string? RequestId, string? Ip, IReadOnlyDictionary<string, string> Details, string PreviousHash, string Hash)
{
    [System.Text.Json.Serialization.JsonPropertyOrder(-1)]
    public string Object => "audit_event";

    public static AuditExportEntryResource From(AuditEntry entry) => new(
        entry.Id, entry.Chain, entry.Sequence, UnixTime.Seconds(entry.Occurred), entry.Actor, entry.Action, entry.Subject,
        entry.RequestId, entry.Ip, entry.Details, entry.PreviousHash, entry.Hash);
}

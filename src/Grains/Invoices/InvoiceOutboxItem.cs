namespace Platform.Grains.Invoices;

/// <summary>
/// A tenant event (<see cref="EventId"/> set) or an audit entry (<see cref="AuditAction"/> set) staged in the
/// invoice's row with the change it reports, and published after the commit (column <c>outbox</c>).
/// </summary>
public sealed record InvoiceOutboxItem(
    string? EventId,
    string? EventType,
    DateTimeOffset Created,
    string? DataJson,
    string? AuditAction,
    Dictionary<string, string>? AuditDetails,
    string? Actor = null,
    string? RequestId = null);

namespace Platform.Grains.Interfaces.Invoices;

/// <summary>Why a credit note was issued (Stripe's <c>reason</c>).</summary>
public static class CreditNoteReasons
{
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
        { "duplicate", "fraudulent", "order_change", "product_unsatisfactory" };
}

/// <summary>
/// A validated credit note to issue on a finalized invoice. On an open invoice the whole <see cref="Amount"/> lowers
/// what is due; on a paid one it is refunded (<see cref="RefundAmount"/>, through the PCI refund path) and/or credited
/// to the customer's balance (<see cref="CreditAmount"/>); when neither is given on a paid invoice, all is credited.
/// <see cref="Id"/> derives from the request's Idempotency-Key, so a retried request issues one note.
/// </summary>
[GenerateSerializer, Immutable, Alias("platform.credit_note_draft")]
public sealed record CreditNoteDraft(
    [property: Id(0)] string Id,
    [property: Id(1)] long Amount,
    [property: Id(2)] long? RefundAmount,
    [property: Id(3)] long? CreditAmount,
    [property: Id(4)] string? Reason,
    [property: Id(5)] string? Memo,
    [property: Id(6)] IReadOnlyDictionary<string, string> Metadata,
    [property: Id(7)] IReadOnlyList<CreditNoteLine>? Lines = null);

/// <summary>One invoice line a credit note credits, and how much of it (minor units).</summary>
[GenerateSerializer, Immutable, Alias("platform.credit_note_line")]
public sealed record CreditNoteLine([property: Id(0)] string InvoiceLineId, [property: Id(1)] long Amount);

/// <summary>
/// A credit note (<c>cn_…</c>), numbered after its invoice (<c>ACME-000042-CN-01</c>). <see cref="RefundId"/> is null
/// while its refund is still to be made (the invoice's reminder retries it, one refund per note at Stripe).
/// </summary>
[GenerateSerializer, Immutable, Alias("platform.credit_note")]
public sealed record CreditNoteSnapshot(
    [property: Id(0)] string Id,
    [property: Id(1)] string Number,
    [property: Id(2)] string InvoiceId,
    [property: Id(3)] string CustomerId,
    [property: Id(4)] long Amount,
    [property: Id(5)] string Currency,
    [property: Id(6)] long PrePaymentAmount,
    [property: Id(7)] long RefundAmount,
    [property: Id(8)] long CreditAmount,
    [property: Id(9)] string? RefundId,
    [property: Id(10)] string? Reason,
    [property: Id(11)] string? Memo,
    [property: Id(12)] string Status,
    [property: Id(13)] DateTimeOffset Created,
    [property: Id(14)] DateTimeOffset? VoidedAt,
    [property: Id(15)] IReadOnlyDictionary<string, string> Metadata,
    [property: Id(16)] IReadOnlyList<CreditNoteLine>? Lines = null);

/// <summary>A credit note's status.</summary>
public static class CreditNoteStatuses
{
    public const string Issued = "issued";
    public const string Void = "void";
}

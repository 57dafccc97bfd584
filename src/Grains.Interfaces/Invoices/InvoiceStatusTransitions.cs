namespace Platform.Grains.Interfaces.Invoices;

/// <summary>When the invoice entered each status after draft (Stripe's <c>status_transitions</c>); UTC.</summary>
[GenerateSerializer, Immutable, Alias("platform.invoice_status_transitions")]
public sealed record InvoiceStatusTransitions(
    [property: Id(0)] DateTimeOffset? FinalizedAt,
    [property: Id(1)] DateTimeOffset? PaidAt,
    [property: Id(2)] DateTimeOffset? VoidedAt,
    [property: Id(3)] DateTimeOffset? MarkedUncollectibleAt)
{
    public static InvoiceStatusTransitions None { get; } = new(null, null, null, null);
}

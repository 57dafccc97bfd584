using Platform.Grains.Interfaces.Invoices;

namespace Platform.Api.Invoices;

/// <summary>Stripe's <c>status_transitions</c>: when the invoice was finalized, paid, voided, marked uncollectible (Unix seconds).</summary>
public sealed record InvoiceStatusTransitionsResource(long? FinalizedAt, long? PaidAt, long? VoidedAt, long? MarkedUncollectibleAt)
{
    public static InvoiceStatusTransitionsResource From(InvoiceStatusTransitions t) => new(
        t.FinalizedAt?.ToUnixTimeSeconds(), t.PaidAt?.ToUnixTimeSeconds(), t.VoidedAt?.ToUnixTimeSeconds(), t.MarkedUncollectibleAt?.ToUnixTimeSeconds());
}

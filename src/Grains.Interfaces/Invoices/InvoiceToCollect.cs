namespace Platform.Grains.Interfaces.Invoices;

/// <summary>
/// A finalized invoice with something to pay, handed to collection (<see cref="IInvoiceCollectionGrain.AttemptAsync"/>).
/// Amount in minor units of <see cref="Currency"/>. <see cref="PaymentMethodId"/> is the method to charge: the
/// customer's default, or the one given to <c>POST /v1/invoices/{id}/pay</c>; null when the customer has none
/// (the attempt then fails with <c>payment_method_missing</c> without asking Stripe).
/// </summary>
[GenerateSerializer, Immutable, Alias("platform.invoice_to_collect")]
public sealed record InvoiceToCollect(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string InvoiceId,
    [property: Id(2)] string CustomerId,
    [property: Id(3)] string? SubscriptionId,
    [property: Id(4)] long AmountDue,
    [property: Id(5)] string Currency,
    [property: Id(6)] DateTimeOffset FinalizedAt,
    [property: Id(7)] string? PaymentMethodId = null,
    [property: Id(8)] string? Number = null);

namespace Platform.Grains.Interfaces.Invoices;

/// <summary>
/// What one attempt to pay an invoice came to, as the collection side reports it to the invoice
/// (<see cref="IInvoiceGrain.RecordPaymentAttemptAsync"/>). Idempotent by (<see cref="PaymentIntentId"/>,
/// <see cref="Outcome"/>, <see cref="At"/>): a replayed webhook changes nothing twice. <see cref="Outcome"/> is one of
/// <see cref="PaymentAttemptOutcomes"/>; <see cref="Amount"/> in the invoice's minor units;
/// <see cref="NextPaymentAttempt"/> null means no more automatic retries.
/// </summary>
[GenerateSerializer, Immutable, Alias("platform.invoice_payment_attempt")]
public sealed record InvoicePaymentAttempt(
    [property: Id(0)] string PaymentIntentId,
    [property: Id(1)] string Outcome,
    [property: Id(2)] long Amount,
    [property: Id(3)] string? FailureCode,
    [property: Id(4)] string? DeclineCode,
    [property: Id(5)] DateTimeOffset At,
    [property: Id(6)] DateTimeOffset? NextPaymentAttempt);

namespace Platform.Grains.Interfaces.Invoices;

/// <summary>
/// A finalized <c>charge_automatically</c> invoice with something to pay, handed to collection
/// (<see cref="IInvoiceCollectionGrain.StartAsync"/>). Amount in minor units of <see cref="Currency"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("platform.invoice_to_collect")]
public sealed record InvoiceToCollect(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string InvoiceId,
    [property: Id(2)] string CustomerId,
    [property: Id(3)] string SubscriptionId,
    [property: Id(4)] long AmountDue,
    [property: Id(5)] string Currency,
    [property: Id(6)] DateTimeOffset FinalizedAt);

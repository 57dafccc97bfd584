using Platform.Grains.Interfaces.Common;

namespace Platform.Grains.Interfaces.Invoices;

/// <summary>A page of a tenant's invoices, newest first, optionally of one customer, subscription or status.</summary>
[GenerateSerializer, Immutable, Alias("platform.invoice_query")]
public sealed record InvoiceQuery(
    [property: Id(0)] string? CustomerId,
    [property: Id(1)] string? SubscriptionId,
    [property: Id(2)] string? Status,
    [property: Id(3)] PageRequest Page);

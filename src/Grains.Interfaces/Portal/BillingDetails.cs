namespace Platform.Grains.Interfaces.Portal;

/// <summary>A customer's billing address and tax id as shown on invoices; the API validates them first.</summary>
[GenerateSerializer, Immutable, Alias("platform.billing_details")]
public sealed record BillingDetails(
    [property: Id(0)] string? Line1,
    [property: Id(1)] string? Line2,
    [property: Id(2)] string? City,
    [property: Id(3)] string? PostalCode,
    [property: Id(4)] string? State,
    [property: Id(5)] string? Country,
    [property: Id(6)] string? TaxIdType,
    [property: Id(7)] string? TaxIdValue);

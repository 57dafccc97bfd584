namespace Platform.Grains.Interfaces.Customers;

[GenerateSerializer, Immutable, Alias("platform.customer_snapshot")]
public sealed record CustomerSnapshot(
    [property: Id(0)] string Id,
    [property: Id(1)] string TenantId,
    [property: Id(2)] string? Email,
    [property: Id(3)] string? Name,
    [property: Id(4)] string? Description,
    [property: Id(5)] IReadOnlyDictionary<string, string> Metadata,
    [property: Id(6)] DateTimeOffset Created,
    [property: Id(7)] DateTimeOffset Updated,
    [property: Id(8)] CustomerStatus Status = CustomerStatus.Active,
    [property: Id(9)] string? DefaultPaymentMethodId = null,
    [property: Id(10)] string? TestClockId = null);

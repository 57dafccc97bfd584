namespace Platform.Grains.Interfaces.Customers;

/// <summary>Who a verified customer key speaks for: one customer of one tenant, nothing else.</summary>
[GenerateSerializer, Immutable, Alias("platform.customer_principal")]
public sealed record CustomerPrincipal(
    [property: Id(0)] string KeyId,
    [property: Id(1)] string TenantId,
    [property: Id(2)] string CustomerId);

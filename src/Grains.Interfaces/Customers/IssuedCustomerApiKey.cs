namespace Platform.Grains.Interfaces.Customers;

[GenerateSerializer, Immutable, Alias("platform.issued_customer_api_key")]
public sealed record IssuedCustomerApiKey(
    [property: Id(0)] CustomerApiKeySummary Key,
    [property: Id(1)] string Secret);

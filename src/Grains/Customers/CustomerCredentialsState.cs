namespace Platform.Grains.Customers;

[GenerateSerializer, Alias("platform.customer_credentials_state")]
public sealed class CustomerCredentialsState
{
    [Id(0)] public string? TenantId { get; set; }

    [Id(1)] public List<CustomerKeyHash> Keys { get; set; } = [];
}

using Platform.Grains.Interfaces.Portal;

namespace Platform.Grains.Portal;

[GenerateSerializer, Alias("platform.customer_billing_details_state")]
public sealed class CustomerBillingDetailsState
{
    [Id(0)] public BillingDetails? Details { get; set; }
}

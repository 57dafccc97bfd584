using Platform.Api.OpenApi;

namespace Platform.Api.Checkout;

/// <summary>The body of <c>POST /v1/checkout/sessions</c>: sell one of the tenant's plans to a customer through Stripe Checkout.</summary>
public sealed record CreateCheckoutSessionRequest(
    [property: RequiredField] string? Customer,
    [property: RequiredField] string? Plan,
    [property: RequiredField] string? SuccessUrl,
    [property: RequiredField] string? CancelUrl);

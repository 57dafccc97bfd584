using Platform.Api.OpenApi;
namespace Platform.Api.Payments;

public sealed record CreateSetupIntentRequest([property: RequiredField] string? Customer);

/// <summary>Body of attach and detach: the customer whose payment method it is (Stripe ids carry no tenant).</summary>
public sealed record PaymentMethodCustomerRequest([property: RequiredField] string? Customer);

public sealed record CreatePaymentIntentRequest(
    [property: RequiredField] string? Customer,
    [property: RequiredField] long? Amount,
    [property: RequiredField] string? Currency,
    string? PaymentMethod,
    bool? Confirm,
    Dictionary<string, string>? Metadata);

/// <summary>Refunds all that remains when <see cref="Amount"/> is absent.</summary>
public sealed record CreateRefundRequest([property: RequiredField] string? PaymentIntent, long? Amount);

namespace Platform.Api.Payments;

public sealed record CreateSetupIntentRequest(string? Customer);

/// <summary>Body of attach and detach: the customer whose payment method it is (Stripe ids carry no tenant).</summary>
public sealed record PaymentMethodCustomerRequest(string? Customer);

public sealed record CreatePaymentIntentRequest(
    string? Customer, long? Amount, string? Currency, string? PaymentMethod, bool? Confirm, Dictionary<string, string>? Metadata);

/// <summary>Refunds all that remains when <see cref="Amount"/> is absent.</summary>
public sealed record CreateRefundRequest(string? PaymentIntent, long? Amount);

using System.Text.Json.Serialization;
using Platform.Api.Common;
using Platform.Api.OpenApi;
using Platform.Grains.Interfaces.Payments;

namespace Platform.Api.Payments;

/// <summary>A payment: our <c>pay_…</c> id, Stripe's <c>pi_…</c> as <c>stripe_id</c>, never card data.</summary>
public sealed record PaymentIntentResource(
    string Id, long Amount, long AmountRefunded, string Currency, string Customer, string? PaymentMethod, PaymentStatus Status,
    string? ClientSecret, PaymentError? LastPaymentError, string? StripeId, IReadOnlyDictionary<string, string> Metadata, long Created)
{
    [JsonPropertyOrder(-1)]
    public string Object => "payment_intent";

    public static PaymentIntentResource From(PaymentSnapshot payment) =>
        new(payment.Id, payment.Amount, payment.AmountRefunded, payment.Currency, payment.CustomerId, payment.PaymentMethodId,
            payment.Status, payment.ClientSecret, payment.LastPaymentError, payment.StripePaymentIntentId, payment.Metadata,
            UnixTime.Seconds(payment.Created));
}

public sealed record SetupIntentResource(string Id, string Customer, string ClientSecret, string Status, long Created)
{
    [JsonPropertyOrder(-1)]
    public string Object => "setup_intent";

    public static SetupIntentResource From(SetupIntentSnapshot intent) =>
        new(intent.Id, intent.CustomerId, intent.ClientSecret, intent.Status, UnixTime.Seconds(intent.Created));
}

public sealed record CardResource(string? Brand, string? Last4, long? ExpMonth, long? ExpYear);

public sealed record PaymentMethodResource(string Id, string? Customer, string Type, CardResource? Card, long Created)
{
    [JsonPropertyOrder(-1)]
    public string Object => "payment_method";

    public static PaymentMethodResource From(PaymentMethodSnapshot method) =>
        new(method.Id, method.CustomerId, method.Type,
            method.Type == "card" ? new CardResource(method.Brand, method.Last4, method.ExpMonth, method.ExpYear) : null,
            UnixTime.Seconds(method.Created));
}

/// <summary>A refund: <c>pending</c> until Stripe answers, then Stripe's status.</summary>
public sealed record RefundResource(
    string Id, long Amount, string Currency, string PaymentIntent,
    [property: WireValues("pending", "requires_action", "succeeded", "failed", "canceled")] string Status, string? StripeId, long Created)
{
    [JsonPropertyOrder(-1)]
    public string Object => "refund";

    public static RefundResource From(RefundSnapshot refund) =>
        new(refund.Id, refund.Amount, refund.Currency, refund.PaymentId, refund.Status, refund.StripeRefundId, UnixTime.Seconds(refund.Created));
}

public sealed record PublishableKeyResource(string PublishableKey)
{
    [JsonPropertyOrder(-1)]
    public string Object => "publishable_key";
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Grains.Interfaces.Payments;

namespace Platform.Grains.Pci.Payments;

/// <summary>
/// A payment as the API shows it (PaymentIntentResource in src/Api), for the <c>data.object</c> of payment
/// events, without the client secret (it authorises Stripe.js to confirm the payment and belongs to the
/// browser that pays, not to a tenant's backend). Ids, amounts and statuses only: never card data.
/// </summary>
public static class PaymentEventData
{
    public static string Render(PaymentSnapshot payment)
    {
        var metadata = new JsonObject();
        foreach (var (key, value) in payment.Metadata)
        {
            metadata[key] = value;
        }
        return new JsonObject
        {
            ["object"] = "payment_intent",
            ["id"] = payment.Id,
            ["amount"] = payment.Amount,
            ["amount_refunded"] = payment.AmountRefunded,
            ["currency"] = payment.Currency,
            ["customer"] = payment.CustomerId,
            ["payment_method"] = payment.PaymentMethodId,
            ["status"] = JsonNamingPolicy.SnakeCaseLower.ConvertName(payment.Status.ToString()),
            ["last_payment_error"] = payment.LastPaymentError is { } error
                ? new JsonObject { ["code"] = error.Code, ["decline_code"] = error.DeclineCode, ["message"] = error.Message }
                : null,
            ["stripe_id"] = payment.StripePaymentIntentId,
            ["metadata"] = metadata,
            ["created"] = payment.Created.ToUnixTimeSeconds(),
        }.ToJsonString();
    }

    /// <summary>
    /// The events a change from <paramref name="before"/> to <paramref name="after"/> means: succeeded on
    /// reaching Succeeded, failed when a new payment error appears, refunded whenever the refunded amount grows.
    /// </summary>
    public static IEnumerable<string> TypesFor(PaymentFacts before, PaymentFacts after)
    {
        if (after.Status == PaymentStatus.Succeeded && before.Status != PaymentStatus.Succeeded
            && before.Status is not (PaymentStatus.PartiallyRefunded or PaymentStatus.Refunded))
        {
            yield return Interfaces.Webhooks.EventTypes.PaymentSucceeded;
        }
        if (after.LastPaymentError is not null && after.LastPaymentError != before.LastPaymentError)
        {
            yield return Interfaces.Webhooks.EventTypes.PaymentFailed;
        }
        if (after.AmountRefunded > before.AmountRefunded)
        {
            yield return Interfaces.Webhooks.EventTypes.PaymentRefunded;
        }
    }
}

/// <summary>What payment events are decided on; the grain keeps the last announced facts in its state.</summary>
[GenerateSerializer, Immutable, Alias("platform.payment_facts")]
public sealed record PaymentFacts(
    [property: Id(0)] PaymentStatus Status, [property: Id(1)] long AmountRefunded, [property: Id(2)] PaymentError? LastPaymentError)
{
    public static readonly PaymentFacts New = new(PaymentStatus.RequiresPaymentMethod, 0, null);
}

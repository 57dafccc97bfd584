using System.Net;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Payments;
using Platform.Grains.Interfaces.StripeWebhooks;
using Stripe;

namespace Platform.Grains.Pci.Payments;

/// <summary>
/// The pure rules of a payment's record: how Stripe's answers and events move it (forward only), which
/// refund a draft may become, which Stripe refusals are final, and what callers see. No I/O: the grain
/// calls these and writes the state.
/// </summary>
public static class PaymentStateRules
{
    /// <summary>Moves the status only forward (see <see cref="PaymentTransitions.CanMove"/>).</summary>
    public static void Move(PaymentIntentState state, PaymentStatus to)
    {
        if (PaymentTransitions.CanMove(state.Status, to))
        {
            state.Status = to;
        }
    }

    /// <summary>Takes what Stripe said of the PaymentIntent.</summary>
    public static void Apply(PaymentIntentState state, PaymentIntent intent, DateTimeOffset now)
    {
        state.StripePaymentIntentId = intent.Id;
        state.ClientSecret = intent.ClientSecret ?? state.ClientSecret;
        state.PaymentMethodId = intent.PaymentMethodId ?? state.PaymentMethodId;
        state.LastSynced = now;
        if (PaymentTransitions.FromStripe(intent.Status) is { } status)
        {
            Move(state, status);
        }
        if (intent.Status == "succeeded")
        {
            state.LastPaymentError = null;
        }
    }

    /// <summary>Applies a Stripe event about this payment's PaymentIntent (<paramref name="stripeId"/>); false when nothing changed.</summary>
    public static bool ApplyEvent(PaymentIntentState state, StripeEventData stripeEvent, string stripeId)
    {
        var before = (state.Status, state.AmountRefunded, state.StripePaymentIntentId);
        state.StripePaymentIntentId ??= stripeId;
        if (stripeEvent.ObjectType == "charge")
        {
            if (stripeEvent.AmountRefunded is { } refunded && refunded > state.AmountRefunded)
            {
                state.AmountRefunded = Math.Min(refunded, state.Amount);
            }
            if (state.AmountRefunded > 0)
            {
                Move(state, state.AmountRefunded >= state.Amount ? PaymentStatus.Refunded : PaymentStatus.PartiallyRefunded);
            }
        }
        else if (PaymentTransitions.FromStripe(stripeEvent.Status) is { } status)
        {
            // Forward only: a late payment_intent.canceled or requires_action never undoes a success.
            Move(state, status);
        }
        return before != (state.Status, state.AmountRefunded, state.StripePaymentIntentId);
    }

    /// <summary>The refund a new draft becomes, or a 400 when the payment cannot be refunded by that much.</summary>
    public static RefundRecord NewRefund(PaymentIntentState state, RefundDraft draft, string paymentKey, DateTimeOffset now)
    {
        if (state.Status is not (PaymentStatus.Succeeded or PaymentStatus.PartiallyRefunded))
        {
            throw new PlatformException(PlatformErrorKind.InvalidRequest,
                state.Status == PaymentStatus.Refunded ? "charge_already_refunded" : "charge_not_refundable",
                state.Status == PaymentStatus.Refunded ? "The payment was already refunded in full." : "Only a succeeded payment can be refunded.",
                "payment_intent");
        }
        // Pending refunds count: two refunds racing through retries can never exceed the amount.
        var remaining = state.Amount - state.Refunds.Where(r => r.Refusal is null).Sum(r => r.Amount);
        var amount = draft.Amount ?? remaining;
        if (remaining <= 0)
        {
            throw new PlatformException(PlatformErrorKind.InvalidRequest, "charge_already_refunded", "The payment was already refunded in full.", "payment_intent");
        }
        if (amount > remaining)
        {
            throw new PlatformException(PlatformErrorKind.InvalidRequest, "amount_too_large",
                $"The refund amount ({amount}) is larger than what remains to refund ({remaining}).", "amount");
        }
        return new RefundRecord
        {
            Id = PlatformIds.RefundIdFor(paymentKey, draft.IdempotencyKey),
            IdempotencyKey = draft.IdempotencyKey,
            Fingerprint = draft.Fingerprint,
            Amount = amount,
            Created = now,
        };
    }

    /// <summary>Stripe answered and the answer is final for these parameters (a decline, a bad amount): keep it.</summary>
    public static bool IsFinal(StripeException exception) =>
        exception.StripeError is { } error
        && (error.Type == "card_error"
            || (error.Type == "invalid_request_error"
                && exception.HttpStatusCode is HttpStatusCode.BadRequest or HttpStatusCode.PaymentRequired or HttpStatusCode.NotFound));

    public static PaymentSnapshot Snapshot(PaymentIntentState state, string tenantId) =>
        new(state.Id!, tenantId, state.CustomerId, state.Amount, state.Currency, state.Status,
            state.StripePaymentIntentId, state.PaymentMethodId, state.ClientSecret, state.AmountRefunded, state.LastPaymentError,
            state.Metadata.AsReadOnly(), state.Created);

    public static RefundSnapshot Snapshot(PaymentIntentState state, RefundRecord refund) =>
        new(refund.Id, state.Id!, refund.Amount, state.Currency, refund.Status, refund.StripeRefundId, refund.Created);
}

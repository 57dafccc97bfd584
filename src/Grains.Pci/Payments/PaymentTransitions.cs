using Platform.Grains.Interfaces.Payments;

namespace Platform.Grains.Pci.Payments;

/// <summary>
/// The payment state machine. Forward-only: a settled payment (succeeded, canceled, refunded) never goes
/// back, so a stale sync or an old webhook cannot undo what we know. The one way back is Stripe's own: a
/// failed confirmation or authentication returns the payment to requires_payment_method for another card.
/// </summary>
public static class PaymentTransitions
{
    public static bool CanMove(PaymentStatus from, PaymentStatus to) => from == to ? from == PaymentStatus.PartiallyRefunded : (from, to) switch
    {
        (PaymentStatus.RequiresPaymentMethod, PaymentStatus.RequiresConfirmation or PaymentStatus.RequiresAction
            or PaymentStatus.Processing or PaymentStatus.Succeeded or PaymentStatus.Canceled) => true,
        (PaymentStatus.RequiresConfirmation, PaymentStatus.RequiresAction or PaymentStatus.Processing
            or PaymentStatus.Succeeded or PaymentStatus.Canceled or PaymentStatus.RequiresPaymentMethod) => true,
        (PaymentStatus.RequiresAction, PaymentStatus.Processing or PaymentStatus.Succeeded
            or PaymentStatus.Canceled or PaymentStatus.RequiresPaymentMethod) => true,
        (PaymentStatus.Processing, PaymentStatus.Succeeded or PaymentStatus.Canceled or PaymentStatus.RequiresPaymentMethod) => true,
        (PaymentStatus.Succeeded, PaymentStatus.PartiallyRefunded or PaymentStatus.Refunded) => true,
        (PaymentStatus.PartiallyRefunded, PaymentStatus.Refunded) => true,
        _ => false,
    };

    public static bool IsSettled(PaymentStatus status) =>
        status is PaymentStatus.Succeeded or PaymentStatus.Canceled or PaymentStatus.PartiallyRefunded or PaymentStatus.Refunded;

    /// <summary>Stripe's PaymentIntent status; null for one we do not model (it is then ignored).</summary>
    public static PaymentStatus? FromStripe(string? status) => status switch
    {
        "requires_payment_method" => PaymentStatus.RequiresPaymentMethod,
        "requires_confirmation" => PaymentStatus.RequiresConfirmation,
        "requires_action" => PaymentStatus.RequiresAction,
        // We capture automatically; an authorised but uncaptured payment is still on its way.
        "processing" or "requires_capture" => PaymentStatus.Processing,
        "succeeded" => PaymentStatus.Succeeded,
        "canceled" => PaymentStatus.Canceled,
        _ => null,
    };
}

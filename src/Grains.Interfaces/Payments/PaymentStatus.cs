namespace Platform.Grains.Interfaces.Payments;

/// <summary>
/// A payment's lifecycle: Stripe's PaymentIntent statuses plus our refund states. Stored values, never
/// reused; which moves are allowed is decided in one place (PaymentTransitions, on the PCI side).
/// </summary>
[GenerateSerializer, Alias("platform.payment_status")]
public enum PaymentStatus
{
    RequiresPaymentMethod = 1,
    RequiresConfirmation = 2,
    RequiresAction = 3,
    Processing = 4,
    Succeeded = 5,
    Canceled = 6,
    PartiallyRefunded = 7,
    Refunded = 8,
}

namespace Platform.Grains.StripeWebhooks;

/// <summary>Which grain owns which Stripe event types.</summary>
public static class StripeEventTypes
{
    public static StripeEventOwner OwnerOf(string type) => type switch
    {
        _ when type.StartsWith("payment_intent.", StringComparison.Ordinal) => StripeEventOwner.Payment,
        "charge.refunded" => StripeEventOwner.Payment,
        _ when type.StartsWith("setup_intent.", StringComparison.Ordinal) => StripeEventOwner.PaymentMethods,
        "payment_method.attached" or "payment_method.detached" => StripeEventOwner.PaymentMethods,
        _ when type.StartsWith("customer.subscription.", StringComparison.Ordinal) => StripeEventOwner.Subscription,
        "invoice.paid" or "invoice.payment_failed" or "invoice.finalized" or "checkout.session.completed" => StripeEventOwner.Subscription,
        // Stripe's invoices are also mirrored into our invoice list (InvoiceGrain.MirrorStripeEventAsync).
        "invoice.created" or "invoice.updated" or "invoice.voided" or "invoice.marked_uncollectible" => StripeEventOwner.Subscription,
        _ => StripeEventOwner.None,
    };
}

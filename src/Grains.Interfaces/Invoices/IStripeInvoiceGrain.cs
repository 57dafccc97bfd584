namespace Platform.Grains.Interfaces.Invoices;

/// <summary>
/// Moves a Stripe invoice (a mirrored one, <c>managed_by: "stripe"</c>) at Stripe: pay, void, mark uncollectible.
/// PCI: runs on pci silos only. Keyed as the mirrored invoice (PlatformIds.InvoiceKey). Our mirror changes only when
/// Stripe's events come back, so callers answer 202 with the mirror as it stands. Stripe's refusals are PlatformExceptions.
/// </summary>
[Alias("platform.stripe_invoice")]
public interface IStripeInvoiceGrain : IGrainWithStringKey
{
    [Alias("pay")]
    Task PayAsync(string stripeInvoiceId, string? paymentMethodId, string requestKey);

    [Alias("void")]
    Task VoidAsync(string stripeInvoiceId, string requestKey);

    [Alias("mark_uncollectible")]
    Task MarkUncollectibleAsync(string stripeInvoiceId, string requestKey);
}

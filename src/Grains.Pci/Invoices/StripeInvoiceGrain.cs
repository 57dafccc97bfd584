using Orleans.Concurrency;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Invoices;
using Platform.Grains.Interfaces.Pci;
using Platform.Grains.Pci.Outbound;
using Stripe;

namespace Platform.Grains.Pci.Invoices;

/// <summary>
/// Pays, voids or marks uncollectible a Stripe invoice mirrored into our list (<see cref="IStripeInvoiceGrain"/>).
/// Stateless: the answer is Stripe's events, which change the mirror. Idempotency keys derive from the invoice, the
/// move and the request, so a retried request never moves an invoice twice.
/// </summary>
[Pci, StatelessWorker]
public sealed class StripeInvoiceGrain(StripeGateway stripe) : Grain, IStripeInvoiceGrain
{
    private string TenantId => PlatformIds.ParseInvoiceKey(this.GetPrimaryKeyString()).TenantId;

    public async Task PayAsync(string stripeInvoiceId, string? paymentMethodId, string requestKey)
    {
        using var deadline = stripe.Deadline();
        await stripe.SendAsync((client, ct) => client.V1.Invoices.PayAsync(stripeInvoiceId, new InvoicePayOptions { PaymentMethod = paymentMethodId },
            StripeGateway.Idempotent(StripeIdempotencyKeys.For("invoice_pay", TenantId, stripeInvoiceId, requestKey)), ct), deadline.Token);
    }

    public async Task VoidAsync(string stripeInvoiceId, string requestKey)
    {
        using var deadline = stripe.Deadline();
        await stripe.SendAsync((client, ct) => client.V1.Invoices.VoidInvoiceAsync(stripeInvoiceId, new InvoiceVoidOptions(),
            StripeGateway.Idempotent(StripeIdempotencyKeys.For("invoice_void", TenantId, stripeInvoiceId, requestKey)), ct), deadline.Token);
    }

    public async Task MarkUncollectibleAsync(string stripeInvoiceId, string requestKey)
    {
        using var deadline = stripe.Deadline();
        await stripe.SendAsync((client, ct) => client.V1.Invoices.MarkUncollectibleAsync(stripeInvoiceId, new InvoiceMarkUncollectibleOptions(),
            StripeGateway.Idempotent(StripeIdempotencyKeys.For("invoice_mark_uncollectible", TenantId, stripeInvoiceId, requestKey)), ct), deadline.Token);
    }
}

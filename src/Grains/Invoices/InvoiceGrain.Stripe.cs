using Microsoft.Extensions.DependencyInjection;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Invoices;
using Platform.Grains.Interfaces.Plans;
using Platform.Grains.Interfaces.StripeWebhooks;

namespace Platform.Grains.Invoices;

/// <summary>
/// Stripe's invoice of a Stripe-managed subscription, mirrored here from its events (<see cref="StripeInvoiceMirror"/>,
/// order-proof) so it is listed with ours (<c>managed_by: "stripe"</c>). Read-only here: Stripe finalizes and collects
/// it; pay, void and mark uncollectible are asked of Stripe through the PCI <see cref="IStripeInvoiceGrain"/> and show
/// here when Stripe's events come back.
/// </summary>
public sealed partial class InvoiceGrain
{
    public async Task<StripeEventOutcome> MirrorStripeEventAsync(StripeEventData stripeEvent)
    {
        var (tenantId, invoiceId) = Key;
        if (stripeEvent.ObjectId is not { } stripeId || PlatformIds.MirroredInvoiceIdFor(tenantId, stripeId) != invoiceId
            || stripeEvent.MetadataValue("customer_id") is not { } customerId || !PlatformIds.IsCustomerId(customerId))
        {
            return StripeEventOutcome.Ignored;
        }
        var plan = stripeEvent.MetadataValue("platform_plan") is { } planId && PlatformIds.IsPlanId(planId)
            ? await GrainFactory.GetGrain<IPlanCatalogGrain>(tenantId).GetAsync(planId)
            : null;
        var stored = _invoice;
        var result = StripeInvoiceMirror.Apply(stored, stripeEvent, new StripeInvoiceMirror.Context(tenantId, invoiceId, customerId, plan));
        if (result.Outcome != StripeEventOutcome.Applied || result.Invoice is not { } invoice)
        {
            return result.Outcome;
        }
        var now = clock.GetUtcNow();
        foreach (var type in result.EventTypes)
        {
            Stage(invoice, type, type, now);
        }
        var store = ServiceProvider.GetRequiredService<StripeInvoiceStore>();
        if (!await store.WriteAsync(invoice, isNew: stored is null, result.LinesChanged))
        {
            // Another activation wrote it first (a duplicate during a partition): apply again over what it wrote.
            _invoice = await reader.LoadAsync(tenantId, invoiceId);
            return await MirrorStripeEventAsync(stripeEvent);
        }
        _invoice = invoice;
        await DoWorkAsync(collect: false);
        return StripeEventOutcome.Applied;
    }

    /// <summary>A move on a mirrored invoice goes to Stripe; the mirror as it stands is the answer (the API says 202).</summary>
    private async Task<InvoiceSnapshot> AskStripeAsync(InvoiceRecord invoice, Func<IStripeInvoiceGrain, string, string, Task> move)
    {
        var requestKey = Interfaces.Audit.AuditContext.RequestId ?? Guid.NewGuid().ToString("N");
        await move(GrainFactory.GetGrain<IStripeInvoiceGrain>(this.GetPrimaryKeyString()), invoice.StripeInvoiceId!, requestKey);
        return invoice.ToSnapshot();
    }

    private static PlatformException ManagedByStripe(string action) =>
        new(PlatformErrorKind.Conflict, InvoiceErrorCodes.InvoiceManagedByStripe,
            "This invoice is Stripe's (managed_by: stripe): Stripe finalizes it and its credit notes are made at Stripe.", action);
}

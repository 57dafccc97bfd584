using Microsoft.Extensions.Logging;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Invoices;
using Platform.Grains.Interfaces.Webhooks;

namespace Platform.Grains.Subscriptions;

/// <summary>
/// The subscription's side of billing: each closed period's invoice draft (made from <see cref="SubscriptionState.PendingDrafts"/>,
/// so none is lost between the roll-over's write and the invoice), what dunning decides for its status, and the
/// customer's billing time (its test clock, if it has one).
/// </summary>
public sealed partial class SubscriptionGrain
{
    public async Task ApplyDunningAsync(string invoiceId, string status)
    {
        var state = subscription.State;
        if (state.Status.Length == 0 || SubscriptionStatuses.IsSubscriptionFinal(state.Status) || IsManagedByStripe || state.Status == status)
        {
            return;
        }
        var now = await NowAsync();
        switch (status)
        {
            case SubscriptionStatuses.PastDue when state.Status is SubscriptionStatuses.Active or SubscriptionStatuses.Trialing:
            case SubscriptionStatuses.Unpaid when state.Status is SubscriptionStatuses.Active or SubscriptionStatuses.PastDue:
            case SubscriptionStatuses.Active when state.Status is SubscriptionStatuses.PastDue or SubscriptionStatuses.Unpaid:
                state.Status = status;
                await CommitAsync(EventTypes.SubscriptionUpdated, now, await CurrentPlanAsync());
                break;
            case SubscriptionStatuses.Canceled:
                await EndAsync(now, now);
                break;
            default:
                logger.LogInformation("Dunning status {Status} after invoice {Invoice} does not apply to {Customer} in status {Current}",
                    status, invoiceId, this.GetPrimaryKeyString(), state.Status);
                break;
        }
    }

    /// <summary>
    /// Makes the drafts of closed periods (idempotent per period: the invoice id derives from it), then forgets
    /// them with one write. A failure leaves them for the next tick or activation.
    /// </summary>
    private async Task MakePendingDraftsAsync()
    {
        var state = subscription.State;
        await MakePendingItemsAsync();
        if (state.PendingDrafts.Count == 0)
        {
            return;
        }
        var (tenantId, _) = PlatformIds.ParseCustomerKey(this.GetPrimaryKeyString());
        try
        {
            foreach (var draft in state.PendingDrafts.ToArray())
            {
                var invoiceId = PlatformIds.InvoiceIdFor(tenantId, draft.SubscriptionId, draft.PeriodStart);
                var invoice = await GrainFactory.GetGrain<IInvoiceGrain>(PlatformIds.InvoiceKey(tenantId, invoiceId)).CreateDraftAsync(draft);
                state.LatestInvoiceId = invoice.Id;
                state.LatestInvoiceStatus = invoice.Status;
                state.PendingDrafts.Remove(draft);
            }
        }
        catch (Exception e) when (e is not PlatformException)
        {
            logger.LogWarning(e, "Making the invoice drafts of {Customer} failed; retried on the next tick", this.GetPrimaryKeyString());
        }
        await WriteAsync();
    }

    /// <summary>
    /// Hands the proration items a plan change wrote to the invoice items (idempotent: their ids derive from the change),
    /// then, for <c>always_invoice</c>, bills them at once on a one-off invoice; forgets them with one write. A failure
    /// leaves them for the next tick or activation.
    /// </summary>
    private async Task MakePendingItemsAsync()
    {
        var state = subscription.State;
        if (state.PendingItems.Count == 0 && state.PendingProrationInvoiceId is null)
        {
            return;
        }
        var (tenantId, customerId) = PlatformIds.ParseCustomerKey(this.GetPrimaryKeyString());
        try
        {
            var adjustments = GrainFactory.GetGrain<Interfaces.Adjustments.IBillingAdjustmentsGrain>(tenantId);
            foreach (var item in state.PendingItems.ToArray())
            {
                await adjustments.CreateInvoiceItemAsync(item);
                state.PendingItems.Remove(item);
            }
            if (state.PendingProrationInvoiceId is { } invoiceId)
            {
                var invoice = await GrainFactory.GetGrain<IInvoiceGrain>(PlatformIds.InvoiceKey(tenantId, invoiceId)).CreateOneOffAsync(new OneOffInvoiceDraft(
                    customerId, null, state.CollectionMethod ?? CollectionMethods.ChargeAutomatically, state.DaysUntilDue, AutoAdvance: true,
                    "Plan change (prorations)"));
                state.LatestInvoiceId = invoice.Id;
                state.LatestInvoiceStatus = invoice.Status;
                state.PendingProrationInvoiceId = null;
            }
        }
        catch (Exception e) when (e is not PlatformException)
        {
            logger.LogWarning(e, "Making the proration items of {Customer} failed; retried on the next tick", this.GetPrimaryKeyString());
        }
        await WriteAsync();
    }

    private Task<DateTimeOffset> NowAsync()
    {
        var (tenantId, customerId) = PlatformIds.ParseCustomerKey(this.GetPrimaryKeyString());
        return (_time ??= new TestClocks.CustomerClock(GrainFactory, clock, tenantId, customerId)).NowAsync();
    }
}

using Microsoft.Extensions.Logging;
using Platform.Grains.Interfaces.Audit;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Customers;
using Platform.Grains.Interfaces.Invoices;

namespace Platform.Grains.Customers;

/// <summary>The customer's billing settings: the default payment method automatic invoices charge.</summary>
public sealed partial class CustomerGrain
{
    public async Task<CustomerSnapshot?> SetDefaultPaymentMethodAsync(string? paymentMethodId, bool onlyIfUnset = false)
    {
        var state = customer.State;
        if (state.Id is null)
        {
            return null;
        }
        if (state.Status == CustomerStatus.Erased && (onlyIfUnset || paymentMethodId is null))
        {
            // Stripe's late events about an erased customer's cards change nothing here.
            return Snapshot();
        }
        RefuseIfErased();
        if ((onlyIfUnset && state.DefaultPaymentMethodId is not null) || state.DefaultPaymentMethodId == paymentMethodId)
        {
            return Snapshot();
        }
        var previous = state.DefaultPaymentMethodId;
        state.DefaultPaymentMethodId = paymentMethodId;
        state.Updated = clock.GetUtcNow();
        StageEvent(Interfaces.Webhooks.EventTypes.CustomerUpdated, state.Updated);
        await WriteAsync();
        await AuditAsync(AuditActions.CustomerDefaultPaymentMethodChanged, state.Id, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["default_payment_method"] = paymentMethodId ?? "",
            ["previous_default_payment_method"] = previous ?? "",
        });
        await PublishOutboxAsync();
        if (paymentMethodId is not null)
        {
            await RetryInvoicesInDunningAsync();
        }
        return Snapshot();
    }

    public async Task ForgetPaymentMethodAsync(string paymentMethodId)
    {
        if (customer.State.Id is not null && customer.State.DefaultPaymentMethodId == paymentMethodId)
        {
            await SetDefaultPaymentMethodAsync(null);
        }
    }

    /// <summary>
    /// A new card pays what dunning is waiting for, at once (docs/INVOICES.md). A failure here is logged, not
    /// thrown: the default is already set, and the invoices' own schedule still retries.
    /// </summary>
    private async Task RetryInvoicesInDunningAsync()
    {
        var (tenantId, customerId) = PlatformIds.ParseCustomerKey(this.GetPrimaryKeyString());
        try
        {
            foreach (var invoiceId in await invoices.UnsettledAsync(tenantId, customerId))
            {
                await GrainFactory.GetGrain<IInvoiceGrain>(PlatformIds.InvoiceKey(tenantId, invoiceId)).RetryNowAsync();
            }
        }
        catch (Exception e) when (e is not PlatformException)
        {
            logger.LogWarning(e, "Retrying the invoices of {Customer} after a new default payment method failed", this.GetPrimaryKeyString());
        }
    }
}

using Platform.Grains.Common;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Invoices;
using Platform.Grains.Interfaces.Payments;
using Platform.Grains.Interfaces.StripeWebhooks;
using Platform.Grains.Interfaces.Subscriptions;

namespace Platform.Grains.StripeWebhooks;

/// <summary>
/// Finds the grain that owns a Stripe event and hands it the event. The owner comes from the metadata our
/// PCI grains put on every Stripe object they create (<c>tenant_id</c>, <c>customer_id</c>, <c>payment_id</c>);
/// when an object lacks it (a payment method at the moment of attach, a detached one), from the Stripe-id
/// index those grains keep. An event whose owner cannot be found is not ours: ignored.
/// </summary>
public sealed class StripeEventRouter(IGrainFactory grains, ResourceIndex index)
{
    private const string TenantIdKey = "tenant_id";
    private const string CustomerIdKey = "customer_id";
    private const string PaymentIdKey = "payment_id";
    private const string InvoiceIdKey = "invoice_id";

    public async Task<StripeEventOutcome> RouteAsync(StripeEventData stripeEvent)
    {
        switch (StripeEventTypes.OwnerOf(stripeEvent.Type))
        {
            case StripeEventOwner.Payment when InvoiceKeyOf(stripeEvent) is { } invoiceKey:
                return await grains.GetGrain<IInvoiceCollectionGrain>(invoiceKey).ApplyStripeEventAsync(stripeEvent);
            case StripeEventOwner.Payment:
                return await PaymentKeyAsync(stripeEvent) is { } paymentKey
                    ? await grains.GetGrain<IPaymentIntentGrain>(paymentKey).ApplyStripeEventAsync(stripeEvent)
                    : StripeEventOutcome.Ignored;
            case StripeEventOwner.PaymentMethods:
                return await CustomerKeyAsync(stripeEvent) is { } methodsKey
                    ? await grains.GetGrain<IPaymentMethodsGrain>(methodsKey).ApplyStripeEventAsync(stripeEvent)
                    : StripeEventOutcome.Ignored;
            case StripeEventOwner.Subscription when stripeEvent.ObjectType == InvoiceObject:
                return await CustomerKeyAsync(stripeEvent) is { } invoiceCustomerKey
                    ? await RouteInvoiceAsync(invoiceCustomerKey, stripeEvent)
                    : StripeEventOutcome.Ignored;
            case StripeEventOwner.Subscription:
                return await CustomerKeyAsync(stripeEvent) is { } customerKey
                    ? await grains.GetGrain<ISubscriptionGrain>(customerKey).ApplyStripeEventAsync(stripeEvent)
                    : StripeEventOutcome.Ignored;
            default:
                return StripeEventOutcome.Ignored;
        }
    }

    /// <summary>
    /// The SubscriptionGrain key of a subscription, invoice or checkout event whose metadata names its
    /// customer (no index lookup needed), else null. Such events of one customer can be applied together.
    /// </summary>
    public static string? SubscriptionKeyOf(StripeEventData stripeEvent) =>
        StripeEventTypes.OwnerOf(stripeEvent.Type) == StripeEventOwner.Subscription && stripeEvent.ObjectType != InvoiceObject
            ? MetadataCustomerKey(stripeEvent)
            : null;

    /// <summary>
    /// An invoice event: the subscription's latest invoice status (its dunning view) and, for a customer of ours, the
    /// invoice's mirror in our list (InvoiceGrain keyed by PlatformIds.MirroredInvoiceIdFor). Applied when either changed.
    /// </summary>
    private async Task<StripeEventOutcome> RouteInvoiceAsync(string customerKey, StripeEventData stripeEvent)
    {
        var subscriptionOutcome = await grains.GetGrain<ISubscriptionGrain>(customerKey).ApplyStripeEventAsync(stripeEvent);
        var (tenantId, customerId) = PlatformIds.ParseCustomerKey(customerKey);
        if (stripeEvent.ObjectId is not { } stripeInvoiceId)
        {
            return subscriptionOutcome;
        }
        var mirrored = stripeEvent.MetadataValue(CustomerIdKey) is null ? stripeEvent with { Metadata = WithCustomer(stripeEvent, tenantId, customerId) } : stripeEvent;
        var invoiceKey = PlatformIds.InvoiceKey(tenantId, PlatformIds.MirroredInvoiceIdFor(tenantId, stripeInvoiceId));
        var mirrorOutcome = await grains.GetGrain<IInvoiceGrain>(invoiceKey).MirrorStripeEventAsync(mirrored);
        return subscriptionOutcome == StripeEventOutcome.Applied || mirrorOutcome == StripeEventOutcome.Applied ? StripeEventOutcome.Applied
            : subscriptionOutcome == StripeEventOutcome.Stale || mirrorOutcome == StripeEventOutcome.Stale ? StripeEventOutcome.Stale
            : StripeEventOutcome.Ignored;
    }

    private static Dictionary<string, string> WithCustomer(StripeEventData stripeEvent, string tenantId, string customerId) =>
        new(stripeEvent.Metadata, StringComparer.Ordinal) { [TenantIdKey] = tenantId, [CustomerIdKey] = customerId };

    private const string InvoiceObject = "invoice";

    /// <summary>Applies events of one customer (<see cref="SubscriptionKeyOf"/>) with one call and one state write.</summary>
    public Task<IReadOnlyList<StripeEventOutcome>> RouteToSubscriptionAsync(string customerKey, IReadOnlyList<StripeEventData> stripeEvents) =>
        grains.GetGrain<ISubscriptionGrain>(customerKey).ApplyStripeEventsAsync(stripeEvents);

    /// <summary>An invoice's PaymentIntent carries the invoice in its metadata (InvoiceCollectionGrain): its collection owns it.</summary>
    private static string? InvoiceKeyOf(StripeEventData stripeEvent) =>
        stripeEvent.MetadataValue(TenantIdKey) is { } tenantId && PlatformIds.IsTenantId(tenantId)
        && stripeEvent.MetadataValue(InvoiceIdKey) is { } invoiceId && PlatformIds.IsInvoiceId(invoiceId)
            ? PlatformIds.InvoiceKey(tenantId, invoiceId)
            : null;

    private async Task<string?> PaymentKeyAsync(StripeEventData stripeEvent)
    {
        if (stripeEvent.MetadataValue(TenantIdKey) is { } tenantId && PlatformIds.IsTenantId(tenantId)
            && stripeEvent.MetadataValue(PaymentIdKey) is { } paymentId && PlatformIds.IsPaymentId(paymentId))
        {
            return PlatformIds.PaymentKey(tenantId, paymentId);
        }
        var stripeId = stripeEvent.ObjectType == "payment_intent" ? stripeEvent.ObjectId : stripeEvent.PaymentIntent;
        return await IndexedAsync(stripeId, IsPaymentKey);
    }

    private async Task<string?> CustomerKeyAsync(StripeEventData stripeEvent) =>
        MetadataCustomerKey(stripeEvent)
        ?? await IndexedAsync(stripeEvent.Customer, IsCustomerKey) ?? await IndexedAsync(stripeEvent.ObjectId, IsCustomerKey);

    private static string? MetadataCustomerKey(StripeEventData stripeEvent) =>
        stripeEvent.MetadataValue(TenantIdKey) is { } tenantId && PlatformIds.IsTenantId(tenantId)
        && stripeEvent.MetadataValue(CustomerIdKey) is { } customerId && PlatformIds.IsCustomerId(customerId)
            ? PlatformIds.CustomerKey(tenantId, customerId)
            : null;

    private async Task<string?> IndexedAsync(string? stripeId, Func<string, bool> isKey) =>
        stripeId is { Length: > 0 } && await index.FindAsync(stripeId, ResourceKinds.StripeObject) is { } key && isKey(key) ? key : null;

    private static bool IsPaymentKey(string key) => TryParse(() => PlatformIds.ParsePaymentKey(key));

    private static bool IsCustomerKey(string key) => TryParse(() => PlatformIds.ParseCustomerKey(key));

    private static bool TryParse(Action parse)
    {
        try
        {
            parse();
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}

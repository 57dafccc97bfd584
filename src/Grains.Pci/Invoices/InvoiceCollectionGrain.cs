using Microsoft.Extensions.Logging;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Invoices;
using Platform.Grains.Interfaces.Payments;
using Platform.Grains.Interfaces.Pci;
using Platform.Grains.Interfaces.StripeWebhooks;
using Platform.Grains.Pci.Outbound;
using Stripe;

namespace Platform.Grains.Pci.Invoices;

/// <summary>
/// Charges one invoice at Stripe (docs/INVOICES.md, collection). One PaymentIntent per invoice, created with an
/// idempotency key derived from the invoice and stored before any confirmation; each attempt reads it first (a
/// success whose answer was lost is reported, not charged again) and otherwise confirms that same PaymentIntent
/// off-session with the method the invoice names. Stripe allows one successful confirmation per PaymentIntent,
/// so an invoice is paid at most once whatever is retried, replayed or killed.
/// </summary>
[Pci]
public sealed class InvoiceCollectionGrain(
    [PersistentState(InvoiceCollectionGrain.StateName, GrainStorageNames.Platform)] IPersistentState<InvoiceCollectionState> collection,
    StripeGateway stripe,
    TimeProvider clock,
    ILogger<InvoiceCollectionGrain> logger) : Grain, IInvoiceCollectionGrain
{
    public const string StateName = "invoice_collection";
    public const string InvoiceIdMetadata = "invoice_id";
    public const string PaymentMethodMissing = "payment_method_missing";
    public const string AuthenticationRequired = "authentication_required";

    public async Task<InvoicePaymentAttempt> AttemptAsync(InvoiceToCollect invoice)
    {
        var (tenantId, invoiceId) = PlatformIds.ParseInvoiceKey(this.GetPrimaryKeyString());
        if (invoice.TenantId != tenantId || invoice.InvoiceId != invoiceId || invoice.AmountDue <= 0)
        {
            throw new PlatformException(PlatformErrorKind.InvalidRequest, "parameter_invalid", "The invoice to collect is not this grain's.", "invoice");
        }
        var state = collection.State;
        if (state.Succeeded)
        {
            return Outcome(PaymentAttemptOutcomes.Succeeded, null, null);
        }
        var methods = GrainFactory.GetGrain<IPaymentMethodsGrain>(PlatformIds.CustomerKey(tenantId, invoice.CustomerId));
        if (state.StripePaymentIntentId is null)
        {
            await CreatePaymentIntentAsync(invoice, await methods.EnsureStripeCustomerAsync());
        }
        using var deadline = stripe.Deadline();
        var intent = await stripe.SendAsync((client, ct) => client.V1.PaymentIntents.GetAsync(state.StripePaymentIntentId, null, null, ct), deadline.Token);
        switch (intent.Status)
        {
            case "succeeded":
                return await SucceededAsync();
            case "processing":
                // A confirmation is under way at Stripe: its event settles the invoice; nothing to charge now.
                return Outcome(PaymentAttemptOutcomes.Failed, "payment_processing", null);
        }
        if (invoice.PaymentMethodId is not { } paymentMethodId)
        {
            return Outcome(PaymentAttemptOutcomes.Failed, PaymentMethodMissing, null);
        }
        if (intent.Amount != invoice.AmountDue)
        {
            // A credit note lowered what is due since the PaymentIntent was made: the same PaymentIntent asks for the new amount.
            intent = await stripe.SendAsync((client, ct) => client.V1.PaymentIntents.UpdateAsync(state.StripePaymentIntentId,
                new PaymentIntentUpdateOptions { Amount = invoice.AmountDue },
                StripeGateway.Idempotent(StripeIdempotencyKeys.For("invoice_amount", tenantId, invoiceId, invoice.AmountDue.ToString(System.Globalization.CultureInfo.InvariantCulture))),
                ct), deadline.Token);
            state.Amount = invoice.AmountDue;
            await collection.WriteStateAsync();
        }
        try
        {
            await methods.RequireAttachedAsync(paymentMethodId);
        }
        catch (PlatformException missing) when (missing.Kind == PlatformErrorKind.NotFound)
        {
            return Outcome(PaymentAttemptOutcomes.Failed, PaymentMethodMissing, null);
        }
        try
        {
            intent = await stripe.Client.V1.PaymentIntents.ConfirmAsync(state.StripePaymentIntentId, new PaymentIntentConfirmOptions
            {
                PaymentMethod = paymentMethodId,
                OffSession = true,
            }, StripeGateway.Idempotent(StripeIdempotencyKeys.For("invoice_confirm", tenantId, invoiceId, paymentMethodId, clock.GetUtcNow().ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture))),
                deadline.Token);
        }
        catch (StripeException declined) when (declined.StripeError is { Type: "card_error" } error)
        {
            logger.LogInformation("Invoice {Invoice} attempt declined: {Code} {DeclineCode}", this.GetPrimaryKeyString(), error.Code, error.DeclineCode);
            return error.Code == AuthenticationRequired
                ? Outcome(PaymentAttemptOutcomes.RequiresAction, error.Code, error.DeclineCode)
                : Outcome(PaymentAttemptOutcomes.Failed, error.Code ?? StripeErrors.CardDeclined, error.DeclineCode);
        }
        catch (Exception exception) when (StripeErrors.Translate(exception, stripe.Logger) is { } refusal)
        {
            if (refusal.Kind == PlatformErrorKind.Unavailable)
            {
                throw refusal;
            }
            // Refused for good (a method Stripe does not know, a state Stripe refuses): a failed attempt, not a crash.
            return Outcome(PaymentAttemptOutcomes.Failed, refusal.Code, null);
        }
        return intent.Status switch
        {
            "succeeded" => await SucceededAsync(),
            "requires_action" => Outcome(PaymentAttemptOutcomes.RequiresAction, AuthenticationRequired, null),
            "processing" => Outcome(PaymentAttemptOutcomes.Failed, "payment_processing", null),
            _ => Outcome(PaymentAttemptOutcomes.Failed, intent.LastPaymentError?.Code ?? StripeErrors.CardDeclined, intent.LastPaymentError?.DeclineCode),
        };
    }

    public async Task<string> RefundAsync(string customerId, string creditNoteId, long amount)
    {
        var (tenantId, invoiceId) = PlatformIds.ParseInvoiceKey(this.GetPrimaryKeyString());
        if (collection.State.StripePaymentIntentId is not { } paymentIntentId || amount <= 0 || amount > collection.State.Amount)
        {
            throw new PlatformException(PlatformErrorKind.InvalidRequest, InvoiceErrorCodes.CreditNoteRefundExceedsPaid,
                "Nothing was charged for this invoice through its PaymentIntent that could be refunded.", "refund_amount");
        }
        using var deadline = stripe.Deadline();
        var refund = await stripe.SendAsync((client, ct) => client.V1.Refunds.CreateAsync(new RefundCreateOptions
        {
            PaymentIntent = paymentIntentId,
            Amount = amount,
            Metadata = StripeMetadata.For(tenantId, customerId, (InvoiceIdMetadata, invoiceId), ("credit_note", creditNoteId)),
        }, StripeGateway.Idempotent(StripeIdempotencyKeys.For("credit_note_refund", tenantId, invoiceId, creditNoteId)), ct), deadline.Token);
        return refund.Id;
    }

    public async Task<StripeEventOutcome> ApplyStripeEventAsync(StripeEventData stripeEvent)
    {
        var state = collection.State;
        var stripeId = stripeEvent.ObjectType == "payment_intent" ? stripeEvent.ObjectId : stripeEvent.PaymentIntent;
        if (state.StripePaymentIntentId is null || stripeId != state.StripePaymentIntentId)
        {
            return StripeEventOutcome.Ignored;
        }
        if (stripeEvent.Type != "payment_intent.succeeded")
        {
            // Failures were answered to the attempt that caused them; an intermediate state settles nothing.
            return StripeEventOutcome.Ignored;
        }
        var (tenantId, invoiceId) = PlatformIds.ParseInvoiceKey(this.GetPrimaryKeyString());
        if (!state.Succeeded)
        {
            state.Succeeded = true;
            await collection.WriteStateAsync();
        }
        await GrainFactory.GetGrain<IInvoiceGrain>(PlatformIds.InvoiceKey(tenantId, invoiceId)).RecordPaymentAttemptAsync(new InvoicePaymentAttempt(
            state.StripePaymentIntentId, PaymentAttemptOutcomes.Succeeded, state.Amount, null, null,
            DateTimeOffset.FromUnixTimeSeconds(stripeEvent.Created), null));
        return StripeEventOutcome.Applied;
    }

    private async Task CreatePaymentIntentAsync(InvoiceToCollect invoice, string stripeCustomerId)
    {
        using var deadline = stripe.Deadline();
        var intent = await stripe.SendAsync((client, ct) => client.V1.PaymentIntents.CreateAsync(new PaymentIntentCreateOptions
        {
            Amount = invoice.AmountDue,
            Currency = invoice.Currency,
            Customer = stripeCustomerId,
            Description = invoice.Number is { } number ? $"Invoice {number}" : null,
            AutomaticPaymentMethods = new PaymentIntentAutomaticPaymentMethodsOptions { Enabled = true, AllowRedirects = "never" },
            Metadata = StripeMetadata.For(invoice.TenantId, invoice.CustomerId, (InvoiceIdMetadata, invoice.InvoiceId)),
        }, StripeGateway.Idempotent(StripeIdempotencyKeys.For("invoice_payment_intent", invoice.TenantId, invoice.InvoiceId)), ct), deadline.Token);
        collection.State.StripePaymentIntentId = intent.Id;
        collection.State.Amount = invoice.AmountDue;
        collection.State.Currency = invoice.Currency;
        await collection.WriteStateAsync();
    }

    private async Task<InvoicePaymentAttempt> SucceededAsync()
    {
        if (!collection.State.Succeeded)
        {
            collection.State.Succeeded = true;
            await collection.WriteStateAsync();
        }
        return Outcome(PaymentAttemptOutcomes.Succeeded, null, null);
    }

    private InvoicePaymentAttempt Outcome(string outcome, string? failureCode, string? declineCode) =>
        new(collection.State.StripePaymentIntentId ?? "", outcome, collection.State.Amount, failureCode, declineCode, clock.GetUtcNow(), null);
}

using Microsoft.Extensions.Logging;
using Platform.Grains.Interfaces.Audit;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Customers;
using Platform.Grains.Interfaces.Invoices;
using Platform.Grains.Interfaces.Subscriptions;
using Platform.Grains.Interfaces.Webhooks;
using Platform.Grains.Subscriptions;

namespace Platform.Grains.Invoices;

/// <summary>
/// Collection and dunning of the invoice (docs/INVOICES.md). Attempts go through the PCI
/// <see cref="IInvoiceCollectionGrain"/> (one PaymentIntent per invoice); this grain decides when: at finalization,
/// then after each failure per the tenant's <see cref="DunningPolicy"/>, at once when the customer gets a new default
/// payment method, or when asked to pay. It tells the subscription what dunning decided (past_due, active again, or
/// the policy's final action).
/// </summary>
public sealed partial class InvoiceGrain
{
    public async Task<bool> TickAsync()
    {
        if (_invoice is not { } invoice)
        {
            return false;
        }
        if (invoice.IsManagedByStripe)
        {
            await DoWorkAsync(collect: false);
            return false;
        }
        var before = (invoice.Status, invoice.AttemptCount, invoice.NextPaymentAttempt);
        var now = await NowAsync(invoice.CustomerId);
        if (invoice is { Status: InvoiceStatuses.Draft, FinalizesAt: { } due } && now >= due)
        {
            await FinalizeNowAsync(invoice, now);
        }
        await RefundPendingAsync(_invoice!);
        await DoWorkAsync(collect: true);
        return before != (_invoice!.Status, _invoice.AttemptCount, _invoice.NextPaymentAttempt);
    }

    public async Task<InvoiceSnapshot> PayAsync(string? paymentMethodId)
    {
        var invoice = Require();
        if (invoice.IsManagedByStripe)
        {
            return await AskStripeAsync(invoice, (stripe, id, key) => stripe.PayAsync(id, paymentMethodId, key));
        }
        if (invoice.Status == InvoiceStatuses.Paid)
        {
            return invoice.ToSnapshot();
        }
        if (invoice.Status is not (InvoiceStatuses.Open or InvoiceStatuses.Uncollectible) || invoice.AmountRemaining <= 0)
        {
            throw NotEditable(invoice, "pay", "Only an open or uncollectible invoice with an amount due can be paid.");
        }
        await CollectAsync(invoice, paymentMethodId, scheduled: false, throwUnavailable: true);
        return _invoice!.ToSnapshot();
    }

    public async Task RetryNowAsync()
    {
        if (_invoice is { IsManagedByStripe: false, Status: InvoiceStatuses.Open, CollectionMethod: CollectionMethods.ChargeAutomatically, AmountRemaining: > 0, AttemptCount: > 0 } invoice)
        {
            await CollectAsync(invoice, paymentMethodId: null, scheduled: false);
        }
    }

    /// <summary>
    /// One attempt with <paramref name="paymentMethodId"/> or the customer's default. Stripe unreachable leaves the
    /// schedule as it was (the next tick tries again) unless the caller wants to hear it.
    /// </summary>
    private async Task CollectAsync(InvoiceRecord invoice, string? paymentMethodId, bool scheduled, bool throwUnavailable = false)
    {
        var now = await NowAsync(invoice.CustomerId);
        paymentMethodId ??= (await GrainFactory.GetGrain<ICustomerGrain>(PlatformIds.CustomerKey(invoice.TenantId, invoice.CustomerId)).GetAsync())
            ?.DefaultPaymentMethodId;
        InvoicePaymentAttempt attempt;
        try
        {
            attempt = await GrainFactory.GetGrain<IInvoiceCollectionGrain>(this.GetPrimaryKeyString()).AttemptAsync(new InvoiceToCollect(
                invoice.TenantId, invoice.Id, invoice.CustomerId, invoice.SubscriptionId, invoice.AmountRemaining, invoice.Currency,
                invoice.FinalizedAt!.Value, paymentMethodId, invoice.Number));
        }
        catch (Exception e) when (!throwUnavailable && (e is not PlatformException || e is PlatformException { Kind: PlatformErrorKind.Unavailable }))
        {
            logger.LogWarning(e, "Collecting invoice {Invoice} failed before an answer; tried again on the next tick", this.GetPrimaryKeyString());
            return;
        }
        // The attempt is this grain's (its time is the customer's billing time): keyed by it, never applied twice.
        await ApplyAttemptAsync(invoice, attempt with { At = now }, scheduled);
    }

    /// <summary>
    /// Records an attempt and what follows from it. Success: paid, and a subscription in dunning is active again.
    /// Failure: attempt_count + 1 and the event; a scheduled attempt also moves the schedule: the next retry per the
    /// policy, or none (a hard decline, or the last retry) and the policy's final action. The first failure makes
    /// the subscription past_due.
    /// </summary>
    private async Task ApplyAttemptAsync(InvoiceRecord invoice, InvoicePaymentAttempt attempt, bool scheduled)
    {
        var key = $"{attempt.PaymentIntentId}|{attempt.Outcome}|{attempt.At.ToUnixTimeMilliseconds()}";
        if (invoice.PaymentAttempts.Contains(key) || invoice.Status is InvoiceStatuses.Paid or InvoiceStatuses.Void or InvoiceStatuses.Draft)
        {
            return;
        }
        var now = await NowAsync(invoice.CustomerId);
        var wasInDunning = invoice.AttemptCount > 0;
        invoice.PaymentAttempts.Add(key);
        if (attempt.PaymentIntentId.Length > 0)
        {
            invoice.PaymentIntentId = attempt.PaymentIntentId;
        }
        invoice.CollectionStarted = true;
        string? subscriptionStatus = null;
        var markUncollectible = false;
        if (attempt.Outcome == PaymentAttemptOutcomes.Succeeded)
        {
            invoice.Status = InvoiceStatuses.Paid;
            invoice.AmountPaid += invoice.AmountRemaining;
            invoice.AmountRemaining = 0;
            invoice.PaidAt = attempt.At;
            invoice.NextPaymentAttempt = null;
            invoice.AttemptCount++;
            Stage(invoice, EventTypes.InvoicePaid, AuditActions.InvoicePaid, now, ("payment_intent", attempt.PaymentIntentId));
            subscriptionStatus = wasInDunning ? SubscriptionStatuses.Active : null;
        }
        else
        {
            invoice.AttemptCount++;
            if (scheduled)
            {
                var policy = await GrainFactory.GetGrain<IDunningPolicyGrain>(invoice.TenantId).GetAsync();
                var retriesDone = invoice.AttemptCount - 1;
                var retry = !DunningPolicyRules.IsHardDecline(attempt.DeclineCode) && retriesDone < policy.RetryDays.Count;
                invoice.NextPaymentAttempt = retry ? now.AddDays(policy.RetryDays[retriesDone]) : null;
                subscriptionStatus = retry ? SubscriptionStatuses.PastDue : FinalStatus(policy.FinalAction);
                markUncollectible = !retry && policy.FinalAction == DunningActions.Cancel;
            }
            var details = new[] { ("payment_intent", attempt.PaymentIntentId), ("failure_code", attempt.FailureCode ?? ""), ("decline_code", attempt.DeclineCode ?? "") };
            Stage(invoice, attempt.Outcome == PaymentAttemptOutcomes.RequiresAction ? EventTypes.InvoicePaymentActionRequired : EventTypes.InvoicePaymentFailed,
                attempt.Outcome == PaymentAttemptOutcomes.RequiresAction ? AuditActions.InvoicePaymentActionRequired : AuditActions.InvoicePaymentFailed,
                now, details);
        }
        if (markUncollectible && invoice.Status == InvoiceStatuses.Open)
        {
            invoice.Status = InvoiceStatuses.Uncollectible;
            invoice.MarkedUncollectibleAt = now;
            Stage(invoice, EventTypes.InvoiceMarkedUncollectible, AuditActions.InvoiceMarkedUncollectible, now, ("reason", "dunning_exhausted"));
        }
        await CommitAsync(invoice);
        if (subscriptionStatus is not null && invoice.SubscriptionId is not null)
        {
            await GrainFactory.GetGrain<ISubscriptionGrain>(PlatformIds.CustomerKey(invoice.TenantId, invoice.CustomerId))
                .ApplyDunningAsync(invoice.Id, subscriptionStatus);
        }
    }

    private static string FinalStatus(string finalAction) => finalAction switch
    {
        DunningActions.Cancel => SubscriptionStatuses.Canceled,
        DunningActions.Unpaid => SubscriptionStatuses.Unpaid,
        _ => SubscriptionStatuses.PastDue,
    };

    private Task<DateTimeOffset> NowAsync(string customerId) =>
        (_time ??= new TestClocks.CustomerClock(GrainFactory, clock, Key.TenantId, customerId)).NowAsync();
}

using Platform.Grains.Interfaces.Invoices;
using Platform.Grains.Interfaces.Plans;
using Platform.Grains.Interfaces.StripeWebhooks;
using Platform.Grains.Interfaces.Webhooks;
using Platform.Grains.Subscriptions;

namespace Platform.Grains.Invoices;

/// <summary>
/// Stripe's invoice events applied to our mirror of that invoice, and nothing else: no I/O, no clock. Order-proof as
/// <see cref="SubscriptionMirror"/> is: each event carries a version (Stripe's <c>created</c>, the status's rank, the
/// event id) and only a newer one changes the row, except that a paid or void invoice stays so whatever arrives later
/// and a finalized one never goes back to draft. Lines and totals are taken only while our row is a draft (Stripe freezes
/// them at finalization too, and so does our database). The tenant events to fire follow the statuses the row reaches,
/// so a duplicate or stale event fires nothing.
/// </summary>
/// <example>
/// invoice.paid (created 200) arrives first: the row is made with its lines, open → paid, and fires invoice.created,
/// invoice.finalized, invoice.paid. invoice.created (draft, created 190) and invoice.finalized (open, created 195)
/// arrive next: both stale, nothing changes, nothing fires.
/// </example>
public static class StripeInvoiceMirror
{
    /// <summary>The plan (if known) and the metered prices that make a Stripe line a usage line of a metric.</summary>
    public sealed record Context(string TenantId, string InvoiceId, string CustomerId, PlanSnapshot? Plan);

    public sealed record Result(StripeEventOutcome Outcome, InvoiceRecord? Invoice, bool LinesChanged, IReadOnlyList<string> EventTypes);

    public static Result Apply(InvoiceRecord? stored, StripeEventData stripeEvent, Context context)
    {
        if (stripeEvent.ObjectType != SubscriptionMirror.InvoiceObject || stripeEvent.ObjectId is not { } stripeId
            || stripeEvent.Invoice is not { } details || stripeEvent.Status is not { Length: > 0 } status || !InvoiceStatuses.IsKnown(status))
        {
            return new Result(StripeEventOutcome.Ignored, stored, false, []);
        }
        var version = Version(stripeEvent, status, details.AttemptCount);
        if (stored is not null)
        {
            if (!stored.IsManagedByStripe || stored.StripeInvoiceId != stripeId)
            {
                return new Result(StripeEventOutcome.Ignored, stored, false, []);
            }
            var wasFinal = SubscriptionStatuses.IsInvoiceFinal(stored.Status);
            if (wasFinal || (stored.Status != InvoiceStatuses.Draft && status == InvoiceStatuses.Draft)
                || (stored.StripeVersion is { } applied && !version.IsAfter(applied)))
            {
                return new Result(StripeEventOutcome.Stale, stored, false, []);
            }
        }
        var takeContent = stored is null || stored.Status == InvoiceStatuses.Draft;
        var invoice = takeContent ? New(stripeEvent, stripeId, details, context, stored) : stored!;
        var before = stored?.Status;
        var attemptsBefore = stored?.AttemptCount ?? 0;
        invoice.Status = status;
        invoice.Number = status == InvoiceStatuses.Draft ? null : invoice.Number ?? details.Number ?? stripeId;
        invoice.AmountPaid = details.AmountPaid;
        invoice.AmountRemaining = details.AmountRemaining;
        invoice.AttemptCount = details.AttemptCount;
        invoice.NextPaymentAttempt = Time(details.NextPaymentAttempt);
        invoice.DueDate = Time(details.DueDate);
        invoice.FinalizedAt = status == InvoiceStatuses.Draft ? null : invoice.FinalizedAt ?? Time(details.FinalizedAt) ?? Time(stripeEvent.Created);
        invoice.PaidAt = Time(details.PaidAt) ?? (status == InvoiceStatuses.Paid ? Time(stripeEvent.Created) : null);
        invoice.VoidedAt = Time(details.VoidedAt) ?? (status == InvoiceStatuses.Void ? Time(stripeEvent.Created) : null);
        invoice.MarkedUncollectibleAt = Time(details.MarkedUncollectibleAt) ?? (status == InvoiceStatuses.Uncollectible ? Time(stripeEvent.Created) : null);
        invoice.StripeVersion = version;
        return new Result(StripeEventOutcome.Applied, invoice, takeContent, EventsFor(before, status, attemptsBefore, details.AttemptCount));
    }

    /// <summary>
    /// Stripe stamps events in whole seconds and sends several about one invoice within one: after the status's rank,
    /// more payment attempts is newer (an <c>invoice.payment_failed</c> follows the <c>invoice.finalized</c> of the same
    /// second), and only then the event id decides.
    /// </summary>
    public static StripeEventVersion Version(StripeEventData stripeEvent, string status, int attemptCount) =>
        new(stripeEvent.Created, (SubscriptionStatuses.InvoiceRank(status) * 10_000) + Math.Clamp(attemptCount, 0, 9_999), stripeEvent.Id);

    /// <summary>The tenant events of the statuses reached (in order), and a failed payment (an open invoice's attempt count rose).</summary>
    public static IReadOnlyList<string> EventsFor(string? before, string status, int attemptsBefore, int attemptsAfter)
    {
        var types = new List<string>();
        if (before is null)
        {
            types.Add(EventTypes.InvoiceCreated);
        }
        if (before is null or InvoiceStatuses.Draft && status != InvoiceStatuses.Draft)
        {
            types.Add(EventTypes.InvoiceFinalized);
        }
        // By the attempt count, not the event's type: Stripe's invoice.updated of the same second carries the same count
        // and may be applied first, whichever order the two arrive in.
        if (status is InvoiceStatuses.Open && attemptsAfter > attemptsBefore)
        {
            types.Add(EventTypes.InvoicePaymentFailed);
        }
        if (status != before)
        {
            switch (status)
            {
                case InvoiceStatuses.Paid:
                    types.Add(EventTypes.InvoicePaid);
                    break;
                case InvoiceStatuses.Void:
                    types.Add(EventTypes.InvoiceVoided);
                    break;
                case InvoiceStatuses.Uncollectible:
                    types.Add(EventTypes.InvoiceMarkedUncollectible);
                    break;
            }
        }
        return types;
    }

    private static InvoiceRecord New(StripeEventData stripeEvent, string stripeId, StripeInvoiceDetails details, Context context, InvoiceRecord? stored)
    {
        var plan = context.Plan;
        var currency = stripeEvent.Currency ?? plan?.Definition.Currency ?? "usd";
        var created = stored?.Created ?? Time(stripeEvent.ObjectCreated) ?? Time(stripeEvent.Created)!.Value;
        var periodStart = Time(details.PeriodStart) ?? created;
        var periodEnd = Time(details.PeriodEnd) ?? periodStart;
        var usagePrices = (plan?.StripeUsagePrices ?? []).ToDictionary(p => p.PriceId, StringComparer.Ordinal);
        var lines = details.Lines.Select((line, position) =>
        {
            var usage = line.PriceId is { } price && usagePrices.TryGetValue(price, out var known) ? known : null;
            var model = usage is null ? null : plan!.Definition.UsageCharges.FirstOrDefault(c => c.Metric == usage.Metric)?.Model;
            return new InvoiceLineItem(PlatformIds(context.InvoiceId, position), usage is null ? "subscription" : "usage",
                line.Description ?? (usage is null ? "Subscription" : $"Usage: {usage.Metric}"), usage?.Metric, line.Quantity, line.Amount, model, [],
                Time(line.PeriodStart) ?? periodStart, Time(line.PeriodEnd) ?? periodEnd, PlanId: plan?.Id);
        }).ToList();
        return new InvoiceRecord
        {
            TenantId = context.TenantId,
            Id = context.InvoiceId,
            CustomerId = context.CustomerId,
            // Ours for the customer's subscription (sub_… from cus_…), so ?subscription= lists Stripe's invoices too.
            SubscriptionId = plan is null ? null : Interfaces.Common.PlatformIds.SubscriptionIdOf(context.CustomerId),
            PlanId = plan?.Id,
            Pricing = plan is null ? new InvoicePricing("", currency, 0, []) : InvoicePricing.Of(plan.Definition),
            Trial = false,
            PeriodStart = periodStart,
            PeriodEnd = periodEnd < periodStart ? periodStart : periodEnd,
            CollectionMethod = details.CollectionMethod == CollectionMethods.SendInvoice ? CollectionMethods.SendInvoice : CollectionMethods.ChargeAutomatically,
            Created = created,
            Metadata = stripeEvent.Metadata,
            ManagedBy = InvoiceManagers.Stripe,
            StripeInvoiceId = stripeId,
            Lines = lines,
            Subtotal = details.Subtotal,
            Total = details.Total,
            TotalExcludingTax = details.Total,
            AmountDue = details.AmountDue,
            AmountRemaining = details.AmountRemaining,
            Outbox = stored is null ? [] : [.. stored.Outbox],
            Status = stored?.Status ?? InvoiceStatuses.Draft,
            Number = stored?.Number,
            FinalizedAt = stored?.FinalizedAt,
            StripeVersion = stored?.StripeVersion,
        };
    }

    private static string PlatformIds(string invoiceId, int position) => Interfaces.Common.PlatformIds.InvoiceLineIdFor(invoiceId, position);

    private static DateTimeOffset? Time(long? unixSeconds) => unixSeconds is { } s ? DateTimeOffset.FromUnixTimeSeconds(s) : null;
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Grains.Interfaces.Adjustments;
using Platform.Grains.Interfaces.Audit;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Invoices;
using Platform.Grains.Interfaces.Plans;
using Platform.Grains.Interfaces.Webhooks;
using Platform.Grains.Subscriptions;

namespace Platform.Grains.Invoices;

/// <summary>
/// One invoice, keyed <c>ten_…/in_…</c>; its rows in <c>invoices</c>/<c>invoice_lines</c> are its state (no
/// Orleans storage), loaded on activation, and this grain is their only writer. Each change commits with its
/// tenant events and audit entries staged in the row (an outbox), which are published after the commit and on
/// every tick until done. A reminder drives the rest without requests: finalization when the grace period has
/// passed, the staged outbox, and handing a <c>charge_automatically</c> invoice to collection.
/// </summary>
public sealed partial class InvoiceGrain(
    InvoiceStore store,
    InvoiceReader reader,
    [FromKeyedServices(BillingClock.Key)] TimeProvider clock,
    IOptions<InvoiceOptions> options,
    ILogger<InvoiceGrain> logger) : Grain, IInvoiceGrain, IRemindable
{
    public const string WorkReminder = "invoice-work";

    private InvoiceRecord? _invoice;
    private TestClocks.CustomerClock? _time;
    private bool _refundsPending;

    private (string TenantId, string InvoiceId) Key => PlatformIds.ParseInvoiceKey(this.GetPrimaryKeyString());

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (tenantId, invoiceId) = Key;
        _invoice = await reader.LoadAsync(tenantId, invoiceId, cancellationToken);
    }

    public async Task<InvoiceSnapshot> CreateDraftAsync(InvoiceDraft draft)
    {
        var (tenantId, invoiceId) = Key;
        if (PlatformIds.InvoiceIdFor(tenantId, draft.SubscriptionId, draft.PeriodStart) != invoiceId || draft.PeriodEnd <= draft.PeriodStart
            || !CollectionMethods.IsKnown(draft.CollectionMethod))
        {
            throw new PlatformException(PlatformErrorKind.InvalidRequest, InvoiceErrorCodes.InvoiceDraftMismatch,
                "The draft's subscription and period are not the ones this invoice id was made for.");
        }
        if (_invoice is not null)
        {
            // No collection from here: the subscription calling waits on this, and collection may call it back.
            await DoWorkAsync(collect: false);
            return _invoice.ToSnapshot();
        }
        var plan = await GrainFactory.GetGrain<IPlanCatalogGrain>(tenantId).GetAsync(draft.PlanId)
                   ?? throw new PlatformException(PlatformErrorKind.NotFound, "resource_missing", "No such plan.", "plan");
        var now = await NowAsync(draft.CustomerId);
        // The subscription's own rates, else its plan's, else the tenant's defaults.
        var rates = await TaxRatesAsync(tenantId, draft.TaxRateIds ?? plan.Definition.DefaultTaxRates ?? []);
        var record = new InvoiceRecord
        {
            TenantId = tenantId,
            Id = invoiceId,
            CustomerId = draft.CustomerId,
            SubscriptionId = draft.SubscriptionId,
            PlanId = plan.Id,
            Pricing = await PeriodPricingAsync(tenantId, plan, draft.PeriodPlanId, draft.Currency ?? plan.Definition.Currency),
            Trial = draft.Trial,
            PeriodStart = draft.PeriodStart,
            PeriodEnd = draft.PeriodEnd,
            CollectionMethod = draft.CollectionMethod,
            DaysUntilDue = draft.DaysUntilDue,
            Created = now,
            // The grace runs from the period's end (late events dated inside it still land), not from when the draft
            // was made: a roll-over caught up late, or a test clock advanced past it, finalizes on its next tick.
            FinalizesAt = draft.PeriodEnd + options.Value.GracePeriod,
            Terms = new InvoiceTerms { Discount = draft.Discount, DefaultTaxRates = rates },
        };
        PriceDraft(record, await store.DraftInputsAsync(record, now, claim: false));
        Stage(record, EventTypes.InvoiceCreated, AuditActions.InvoiceCreated, now);
        if (!await store.InsertDraftAsync(record))
        {
            // Another activation (a duplicate during a partition) wrote it first: the stored one stands.
            record = await reader.LoadAsync(tenantId, invoiceId)
                     ?? throw new InvalidOperationException($"Invoice {invoiceId} conflicts with another invoice of the same period.");
        }
        _invoice = record;
        await this.RegisterOrUpdateReminder(WorkReminder, options.Value.ReminderPeriod, options.Value.ReminderPeriod);
        await DoWorkAsync(collect: false);
        return _invoice.ToSnapshot();
    }

    public Task<InvoiceSnapshot?> GetAsync() => Task.FromResult(_invoice?.ToSnapshot());

    public async Task<InvoiceSnapshot> FinalizeAsync()
    {
        var invoice = Require();
        if (invoice.IsManagedByStripe)
        {
            throw ManagedByStripe("finalize");
        }
        if (invoice.Status == InvoiceStatuses.Draft)
        {
            await FinalizeNowAsync(invoice, await NowAsync(invoice.CustomerId));
        }
        await DoWorkAsync(collect: true);
        return _invoice!.ToSnapshot();
    }

    public async Task<InvoiceSnapshot> RecordPaymentAttemptAsync(InvoicePaymentAttempt attempt)
    {
        var invoice = Require();
        if (!PaymentAttemptOutcomes.IsKnown(attempt.Outcome))
        {
            throw new PlatformException(PlatformErrorKind.InvalidRequest, "parameter_invalid", "Unknown payment attempt outcome.", "outcome");
        }
        await ApplyAttemptAsync(invoice, attempt, scheduled: false);
        return _invoice!.ToSnapshot();
    }

    public async Task<InvoiceSnapshot> VoidAsync()
    {
        var invoice = Require();
        if (invoice.IsManagedByStripe)
        {
            return await AskStripeAsync(invoice, (stripe, id, key) => stripe.VoidAsync(id, key));
        }
        if (invoice.Status == InvoiceStatuses.Void)
        {
            return invoice.ToSnapshot();
        }
        if (!InvoiceTransitions.CanVoid(invoice.Status, invoice.AmountPaid))
        {
            throw NotEditable(invoice, "void", "Only an open or uncollectible invoice with nothing paid can be voided.");
        }
        var now = await NowAsync(invoice.CustomerId);
        invoice.Status = InvoiceStatuses.Void;
        invoice.VoidedAt = now;
        invoice.AmountRemaining = 0;
        invoice.NextPaymentAttempt = null;
        Stage(invoice, EventTypes.InvoiceVoided, AuditActions.InvoiceVoided, now);
        // What it took of the customer's balance and grants goes back with the status, in one transaction.
        await store.VoidAsync(invoice, now);
        await DoWorkAsync(collect: false);
        return invoice.ToSnapshot();
    }

    public async Task<InvoiceSnapshot> MarkUncollectibleAsync()
    {
        var invoice = Require();
        if (invoice.IsManagedByStripe)
        {
            return await AskStripeAsync(invoice, (stripe, id, key) => stripe.MarkUncollectibleAsync(id, key));
        }
        if (invoice.Status == InvoiceStatuses.Uncollectible)
        {
            return invoice.ToSnapshot();
        }
        if (!InvoiceTransitions.CanMarkUncollectible(invoice.Status, invoice.AmountPaid))
        {
            throw NotEditable(invoice, "mark_uncollectible", "Only an open invoice with nothing paid can be marked uncollectible.");
        }
        var now = await NowAsync(invoice.CustomerId);
        invoice.Status = InvoiceStatuses.Uncollectible;
        invoice.MarkedUncollectibleAt = now;
        invoice.NextPaymentAttempt = null;
        Stage(invoice, EventTypes.InvoiceMarkedUncollectible, AuditActions.InvoiceMarkedUncollectible, now);
        await CommitAsync(invoice);
        return invoice.ToSnapshot();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == WorkReminder)
        {
            await TickAsync();
        }
    }

    /// <summary>
    /// Draft → open in one database transaction (InvoiceStore.FinalizeAsync): lines repriced from the usage log as it
    /// stands under the invoice's lock, the tenant's next number, totals frozen. $0 is paid at once.
    /// </summary>
    private async Task FinalizeNowAsync(InvoiceRecord draft, DateTimeOffset now)
    {
        _invoice = await store.FinalizeAsync(draft, options.Value.DefaultNumberPrefix, now, (inputs, prefix, number) =>
        {
            var finalized = Copy(draft);
            Price(finalized, inputs);
            finalized.Status = InvoiceStatuses.Open;
            finalized.Number = InvoiceNumbers.Format(prefix, number);
            finalized.NumberSeq = number;
            finalized.FinalizedAt = now;
            if (finalized.CollectionMethod == CollectionMethods.SendInvoice)
            {
                finalized.DueDate = now.AddDays(finalized.DaysUntilDue ?? 0);
            }
            else if (finalized.AmountDue > 0)
            {
                // The first attempt is due at once; dunning moves this on after each failure.
                finalized.NextPaymentAttempt = now;
            }
            Stage(finalized, EventTypes.InvoiceFinalized, AuditActions.InvoiceFinalized, now, ("number", finalized.Number));
            if (finalized.AmountDue == 0)
            {
                // Still made for the audit trail, and settled at once: nothing to collect (nothing charged, or all paid by credits).
                finalized.Status = InvoiceStatuses.Paid;
                finalized.PaidAt = now;
                Stage(finalized, EventTypes.InvoicePaid, AuditActions.InvoicePaid, now, ("amount_paid", "0"));
            }
            return finalized;
        });
    }

    /// <summary>
    /// Publishes the staged outbox, makes a collection attempt that is due (when <paramref name="collect"/>), and
    /// keeps the reminder exactly while something is left: a draft, staged items or a scheduled attempt.
    /// </summary>
    private async Task DoWorkAsync(bool collect)
    {
        if (_invoice is not { } invoice)
        {
            return;
        }
        await PublishOutboxAsync(invoice);
        if (collect && invoice.CollectionDue(await NowAsync(invoice.CustomerId)))
        {
            await CollectAsync(invoice, paymentMethodId: null, scheduled: true);
            invoice = _invoice;
        }
        // A mirrored invoice of Stripe's only publishes its outbox here: Stripe finalizes and collects it.
        var pending = invoice.Outbox.Count > 0 || _refundsPending
            || (!invoice.IsManagedByStripe && (invoice.Status == InvoiceStatuses.Draft || invoice.NextPaymentAttempt is not null));
        if (!pending && await this.GetReminder(WorkReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
        else if (pending)
        {
            await this.RegisterOrUpdateReminder(WorkReminder, options.Value.ReminderPeriod, options.Value.ReminderPeriod);
        }
    }

    private async Task CommitAsync(InvoiceRecord invoice)
    {
        await store.UpdateAsync(invoice);
        await DoWorkAsync(collect: false);
    }

    private async Task PublishOutboxAsync(InvoiceRecord invoice)
    {
        if (invoice.Outbox.Count == 0)
        {
            return;
        }
        try
        {
            foreach (var staged in invoice.Outbox.ToArray())
            {
                if (staged.EventId is { } eventId)
                {
                    await GrainFactory.GetGrain<ITenantEventsGrain>(invoice.TenantId)
                        .PublishAsync(new PlatformEvent(eventId, staged.EventType!, staged.Created, staged.DataJson!));
                }
                else
                {
                    await GrainFactory.GetGrain<IAuditLogGrain>(invoice.TenantId).AppendAsync(new AuditDraft(
                        staged.AuditAction!, invoice.Id, staged.AuditDetails ?? [], staged.Actor, staged.RequestId));
                }
                invoice.Outbox.Remove(staged);
            }
        }
        catch (Exception e) when (e is not PlatformException)
        {
            logger.LogWarning(e, "Publishing {Count} staged items of invoice {Invoice} failed; retried on the next tick",
                invoice.Outbox.Count, this.GetPrimaryKeyString());
        }
        if (invoice.IsManagedByStripe)
        {
            await ServiceProvider.GetRequiredService<StripeInvoiceStore>().WriteOutboxAsync(invoice);
            return;
        }
        await store.UpdateAsync(invoice);
    }

    /// <summary>Stages the tenant event (its id derived from the invoice and the type: published once) and the audit entry.</summary>
    private static void Stage(InvoiceRecord invoice, string eventType, string auditAction, DateTimeOffset now, params (string Key, string Value)[] details)
    {
        var eventId = PlatformIds.DerivedEventId(invoice.TenantId, $"{invoice.Id}/{eventType}/{invoice.AttemptCount}/{invoice.PaymentAttempts.Count}");
        invoice.Outbox.Add(new InvoiceOutboxItem(eventId, eventType, now, InvoiceEventData.Render(invoice.ToSnapshot()), null, null));
        var audit = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["customer"] = invoice.CustomerId, ["subscription"] = invoice.SubscriptionId ?? "", ["status"] = invoice.Status,
            ["amount_due"] = invoice.AmountDue.ToString(System.Globalization.CultureInfo.InvariantCulture), ["currency"] = invoice.Currency,
        };
        foreach (var (key, value) in details)
        {
            audit[key] = value;
        }
        invoice.Outbox.Add(new InvoiceOutboxItem(null, null, now, null, auditAction, audit, AuditContext.Actor, AuditContext.RequestId));
    }

    /// <summary>
    /// Prices the invoice (InvoiceAdjustments): the plan's lines from the usage (none on a one-off invoice), one line per
    /// invoice item, each taxed by its own rates or else the invoice's defaults (none for an exempt or reverse-charge
    /// customer), the coupon, the credit grants and the customer's balance.
    /// </summary>
    private static void Price(InvoiceRecord invoice, PricingInputs inputs)
    {
        var lines = invoice.IsOneOff ? [] : InvoiceCalculator.Lines(invoice.Id, invoice.Pricing, inputs.Usage, invoice.PeriodStart, invoice.PeriodEnd, invoice.Trial)
            .Select(l => l with { PlanId = invoice.PlanId }).ToList();
        var exempt = inputs.TaxExempt != TaxExemptions.None;
        var charges = lines.Select(l => new ChargeLine(l, exempt ? [] : invoice.Terms.DefaultTaxRates)).ToList();
        foreach (var item in inputs.Items)
        {
            var line = new InvoiceLineItem(PlatformIds.InvoiceLineIdFor(invoice.Id, charges.Count), InvoiceAdjustments.InvoiceItemLine, item.Description, null, 1,
                item.Amount, null, [], item.PeriodStart, item.PeriodEnd, InvoiceItemId: item.Id, Proration: item.Proration, PlanId: item.PlanId);
            charges.Add(new ChargeLine(line, exempt ? [] : item.TaxRates.Count > 0 ? item.TaxRates : invoice.Terms.DefaultTaxRates));
        }
        // The invoice's own coupon (its subscription's) comes first; else the customer's, while it applies to this period.
        invoice.Terms = invoice.Terms with
        {
            TaxExempt = inputs.TaxExempt,
            CustomerDiscount = invoice.Terms.Discount is null && inputs.CustomerDiscount is { } d && d.AppliesTo(invoice.PeriodStart) ? d.Terms : null,
        };
        invoice.Apply(InvoiceAdjustments.Compute(new AdjustmentInputs(charges, invoice.Terms.AppliedDiscount, inputs.Balance, inputs.Grants)));
    }

    /// <summary>
    /// The plan's prices at the period's close, with the flat fee of the plan the period began on (a plan change since
    /// is billed by its proration items: the old plan's unused time credited, the new one's charged).
    /// </summary>
    private async Task<InvoicePricing> PeriodPricingAsync(string tenantId, PlanSnapshot plan, string? periodPlanId, string currency)
    {
        var pricing = InvoicePricing.Of(plan.Definition.In(currency) ?? plan.Definition);
        if (periodPlanId is null || periodPlanId == plan.Id
            || await GrainFactory.GetGrain<IPlanCatalogGrain>(tenantId).GetAsync(periodPlanId) is not { } periodPlan)
        {
            return pricing;
        }
        return pricing with { Name = periodPlan.Definition.Name ?? periodPlan.Definition.Code, FlatAmount = (periodPlan.Definition.In(currency) ?? periodPlan.Definition).Amount };
    }

    /// <summary>A draft shows what it would bill now; nothing is spent until finalization, so it has no ending balance yet.</summary>
    private static void PriceDraft(InvoiceRecord draft, PricingInputs inputs)
    {
        Price(draft, inputs);
        draft.EndingBalance = null;
    }

    private async Task<IReadOnlyList<TaxRateSnapshot>> TaxRatesAsync(string tenantId, IReadOnlyList<string> ids)
    {
        var adjustments = GrainFactory.GetGrain<IBillingAdjustmentsGrain>(tenantId);
        try
        {
            return await adjustments.ResolveTaxRatesAsync(ids, defaultsWhenEmpty: true);
        }
        catch (PlatformException missing) when (missing.Kind == PlatformErrorKind.InvalidRequest)
        {
            // A subscription's rate archived since: its period is still billed, with the tenant's defaults.
            logger.LogWarning("Tax rates {Rates} of invoice {Invoice} are no longer active; the tenant's defaults apply", string.Join(",", ids), this.GetPrimaryKeyString());
            return await adjustments.ResolveTaxRatesAsync([], defaultsWhenEmpty: true);
        }
    }

    private static InvoiceRecord Copy(InvoiceRecord r) => new()
    {
        TenantId = r.TenantId, Id = r.Id, CustomerId = r.CustomerId, SubscriptionId = r.SubscriptionId, PlanId = r.PlanId, Description = r.Description,
        Pricing = r.Pricing, Trial = r.Trial, PeriodStart = r.PeriodStart, PeriodEnd = r.PeriodEnd, CollectionMethod = r.CollectionMethod,
        DaysUntilDue = r.DaysUntilDue, Created = r.Created, Metadata = r.Metadata, Status = r.Status, FinalizesAt = r.FinalizesAt,
        Lines = r.Lines, Subtotal = r.Subtotal, AmountRemaining = r.AmountRemaining, Outbox = [.. r.Outbox], Terms = r.Terms,
    };

    private InvoiceRecord Require() => _invoice ?? throw new PlatformException(PlatformErrorKind.NotFound, "resource_missing", "No such invoice.", "invoice");

    private static PlatformException NotEditable(InvoiceRecord invoice, string action, string message) =>
        new(PlatformErrorKind.Conflict, InvoiceErrorCodes.InvoiceNotEditable, $"{message} This invoice is {invoice.Status}.", action);
}

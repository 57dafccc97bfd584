using Microsoft.Extensions.Logging;
using Platform.Grains.Interfaces.Adjustments;
using Platform.Grains.Interfaces.Audit;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Invoices;
using Platform.Grains.Interfaces.Webhooks;

namespace Platform.Grains.Invoices;

/// <summary>
/// One-off invoices and credit notes (docs/INVOICES.md "Adjustments"). A one-off invoice takes the customer's pending
/// invoice items when made; a credit note corrects a finalized invoice without changing it: on an open invoice it
/// lowers what is due, on a paid one it refunds (through the PCI collection grain, one Stripe refund per note, retried
/// by the reminder until made) and/or credits the customer's balance.
/// </summary>
public sealed partial class InvoiceGrain
{
    public async Task<InvoiceSnapshot> CreateOneOffAsync(OneOffInvoiceDraft draft)
    {
        var (tenantId, invoiceId) = Key;
        if (_invoice is not null)
        {
            await DoWorkAsync(collect: false);
            return _invoice.ToSnapshot();
        }
        if (!CollectionMethods.IsKnown(draft.CollectionMethod))
        {
            throw new PlatformException(PlatformErrorKind.InvalidRequest, "parameter_invalid", "Unknown collection_method.", "collection_method");
        }
        var adjustments = GrainFactory.GetGrain<IBillingAdjustmentsGrain>(tenantId);
        var pending = (await adjustments.ListInvoiceItemsAsync(draft.CustomerId, pending: true, new PageRequest(100, null))).Items;
        var currency = draft.Currency ?? (await adjustments.GetBillingAsync(draft.CustomerId)).Currency
                       ?? (pending.Count > 0 ? pending[^1].Currency : throw NothingToInvoice());
        if (pending.Count == 0)
        {
            throw NothingToInvoice();
        }
        var now = await NowAsync(draft.CustomerId);
        var record = new InvoiceRecord
        {
            TenantId = tenantId,
            Id = invoiceId,
            CustomerId = draft.CustomerId,
            Description = draft.Description,
            Pricing = new InvoicePricing(draft.Description ?? "One-off invoice", currency, 0, []),
            Trial = false,
            PeriodStart = now,
            PeriodEnd = now,
            CollectionMethod = draft.CollectionMethod,
            DaysUntilDue = draft.DaysUntilDue,
            Created = now,
            Metadata = draft.Metadata ?? new Dictionary<string, string>(),
            // auto_advance: finalized on this call's work (and by the reminder if this call is cut short); else by POST …/finalize.
            FinalizesAt = draft.AutoAdvance ? now : null,
            Terms = new InvoiceTerms { DefaultTaxRates = await TaxRatesAsync(tenantId, []), CreditGrantId = draft.CreditGrantId },
        };
        Stage(record, EventTypes.InvoiceCreated, AuditActions.InvoiceCreated, now);
        if (!await store.InsertDraftAsync(record))
        {
            record = await reader.LoadAsync(tenantId, invoiceId) ?? throw new InvalidOperationException($"Invoice {invoiceId} vanished.");
        }
        else
        {
            // The customer's pending items are this invoice's from here on (another invoice's finalization can no longer take them).
            PriceDraft(record, await store.DraftInputsAsync(record, now, claim: true));
            if (record.Lines.Count == 0)
            {
                record.Status = InvoiceStatuses.Draft;
            }
            await store.UpdateDraftAsync(record);
        }
        _invoice = record;
        await this.RegisterOrUpdateReminder(WorkReminder, options.Value.ReminderPeriod, options.Value.ReminderPeriod);
        if (draft.AutoAdvance && record.Status == InvoiceStatuses.Draft)
        {
            await FinalizeNowAsync(record, now);
        }
        await DoWorkAsync(collect: true);
        return _invoice!.ToSnapshot();
    }

    public async Task<CreditNoteSnapshot> CreateCreditNoteAsync(CreditNoteDraft draft)
    {
        var invoice = Require();
        if (invoice.IsManagedByStripe)
        {
            throw ManagedByStripe("credit_note");
        }
        var notes = await reader.CreditNotesAsync(invoice.TenantId, invoice.Id);
        if (notes.FirstOrDefault(n => n.Id == draft.Id) is { } existing)
        {
            // A retried request: the note stands; its refund is made now if the first try was cut short.
            return existing is { RefundAmount: > 0, RefundId: null, Status: CreditNoteStatuses.Issued } ? await RefundAsync(invoice, existing, throwOnFailure: true) : existing;
        }
        if (invoice.IsManagedByStripe)
        {
            throw new PlatformException(PlatformErrorKind.Conflict, InvoiceErrorCodes.InvoiceManagedByStripe,
                "This invoice is Stripe's (a mirror): issue its credit notes at Stripe.", "invoice");
        }
        if (invoice.Status is not (InvoiceStatuses.Open or InvoiceStatuses.Paid or InvoiceStatuses.Uncollectible))
        {
            throw NotEditable(invoice, "credit_note", "Credit notes are issued on finalized invoices that are open, paid or uncollectible.");
        }
        if (draft.Lines is { Count: > 0 } creditedLines)
        {
            // Each line at most what it charged (after its discount, with its exclusive tax), over all of the invoice's notes.
            for (var i = 0; i < creditedLines.Count; i++)
            {
                var wanted = creditedLines[i];
                var line = invoice.Lines.FirstOrDefault(l => l.Id == wanted.InvoiceLineId)
                           ?? throw new PlatformException(PlatformErrorKind.InvalidRequest, "resource_missing", "No such line on this invoice.", $"lines[{i}][invoice_line]");
                var charged = line.Amount - line.DiscountAmount + line.Taxes.Where(t => !t.Inclusive).Sum(t => t.Amount);
                var before = notes.Where(n => n.Status == CreditNoteStatuses.Issued).SelectMany(n => n.Lines ?? []).Where(l => l.InvoiceLineId == line.Id).Sum(l => l.Amount)
                             + creditedLines.Take(i).Where(l => l.InvoiceLineId == line.Id).Sum(l => l.Amount);
                if (wanted.Amount <= 0 || wanted.Amount > charged - before)
                {
                    throw new PlatformException(PlatformErrorKind.InvalidRequest, InvoiceErrorCodes.CreditNoteExceedsInvoice,
                        $"A line is credited between 1 and what is left of it ({Math.Max(charged - before, 0)}).", $"lines[{i}][amount]");
                }
            }
            if (creditedLines.Sum(l => l.Amount) != draft.Amount)
            {
                throw new PlatformException(PlatformErrorKind.InvalidRequest, InvoiceErrorCodes.CreditNoteAmountInvalid, "amount must be the sum of the lines' amounts.", "amount");
            }
        }
        var credited = notes.Where(n => n.Status == CreditNoteStatuses.Issued).Sum(n => n.Amount);
        if (CreditNoteRules.Refusal(draft.Amount, Math.Max(invoice.Total, 0), credited) is { } refusal)
        {
            throw new PlatformException(PlatformErrorKind.InvalidRequest, refusal,
                $"A credit note's amount must be between 1 and what is left to credit of this invoice ({CreditNoteRules.Creditable(Math.Max(invoice.Total, 0), credited)}).",
                "amount");
        }
        long prePayment = 0, refund = 0, credit = 0;
        if (invoice.Status == InvoiceStatuses.Paid)
        {
            refund = draft.RefundAmount ?? 0;
            credit = draft.CreditAmount ?? (draft.RefundAmount is null ? draft.Amount : draft.Amount - refund);
            var refundable = invoice.AmountPaid - notes.Where(n => n.Status == CreditNoteStatuses.Issued).Sum(n => n.RefundAmount);
            if (refund < 0 || credit < 0 || refund + credit != draft.Amount || refund > refundable)
            {
                throw new PlatformException(PlatformErrorKind.InvalidRequest, InvoiceErrorCodes.CreditNoteRefundExceedsPaid,
                    $"refund_amount + credit_amount must equal amount, and the refund at most what was paid and not refunded ({refundable}).", "refund_amount");
            }
        }
        else
        {
            // Before payment the note lowers what is due; it cannot take off more than is left to pay.
            if (draft.RefundAmount is > 0 || draft.CreditAmount is > 0 || draft.Amount > invoice.AmountRemaining)
            {
                throw new PlatformException(PlatformErrorKind.InvalidRequest, InvoiceErrorCodes.CreditNoteExceedsInvoice,
                    $"On an unpaid invoice a credit note lowers the amount due only, by at most what is left to pay ({invoice.AmountRemaining}).", "amount");
            }
            prePayment = draft.Amount;
        }
        var now = await NowAsync(invoice.CustomerId);
        var note = new CreditNoteSnapshot(draft.Id, $"{invoice.Number}-CN-{notes.Count + 1:00}", invoice.Id, invoice.CustomerId, draft.Amount, invoice.Currency,
            prePayment, refund, credit, null, draft.Reason, draft.Memo, CreditNoteStatuses.Issued, now, null, draft.Metadata, draft.Lines ?? []);
        invoice.PrePaymentCreditNotes += prePayment;
        invoice.PostPaymentCreditNotes += refund + credit;
        if (prePayment > 0)
        {
            invoice.AmountDue -= prePayment;
            invoice.AmountRemaining -= prePayment;
            if (invoice.AmountRemaining == 0)
            {
                // Credited in full before payment: nothing is left to collect (as Stripe, the invoice counts as paid).
                invoice.Status = InvoiceStatuses.Paid;
                invoice.PaidAt = now;
                invoice.NextPaymentAttempt = null;
                Stage(invoice, EventTypes.InvoicePaid, AuditActions.InvoicePaid, now, ("credit_note", note.Id));
            }
        }
        StageNote(invoice, note, EventTypes.CreditNoteCreated, AuditActions.CreditNoteCreated, now);
        await store.InsertCreditNoteAsync(invoice, note);
        await DoWorkAsync(collect: false);
        if (refund > 0)
        {
            note = await RefundAsync(invoice, note, throwOnFailure: true);
        }
        return note;
    }

    public async Task<CreditNoteSnapshot> VoidCreditNoteAsync(string creditNoteId)
    {
        var invoice = Require();
        var note = (await reader.CreditNotesAsync(invoice.TenantId, invoice.Id)).FirstOrDefault(n => n.Id == creditNoteId)
                   ?? throw new PlatformException(PlatformErrorKind.NotFound, "resource_missing", "No such credit note.", "credit_note");
        if (note.Status == CreditNoteStatuses.Void)
        {
            return note;
        }
        if (note.RefundAmount > 0 || (note.PrePaymentAmount > 0 && invoice.Status is not (InvoiceStatuses.Open or InvoiceStatuses.Uncollectible)))
        {
            throw new PlatformException(PlatformErrorKind.Conflict, InvoiceErrorCodes.CreditNoteNotVoidable,
                "This credit note cannot be voided: its refund was made, or the invoice it lowered is no longer open.", "credit_note");
        }
        var now = await NowAsync(invoice.CustomerId);
        note = note with { Status = CreditNoteStatuses.Void, VoidedAt = now };
        invoice.PrePaymentCreditNotes -= note.PrePaymentAmount;
        invoice.PostPaymentCreditNotes -= note.CreditAmount;
        invoice.AmountDue += note.PrePaymentAmount;
        invoice.AmountRemaining += note.PrePaymentAmount;
        StageNote(invoice, note, EventTypes.CreditNoteVoided, AuditActions.CreditNoteVoided, now);
        await store.VoidCreditNoteAsync(invoice, note);
        await DoWorkAsync(collect: false);
        return note;
    }

    public Task<IReadOnlyList<CreditNoteSnapshot>> CreditNotesAsync() =>
        _invoice is { } invoice ? reader.CreditNotesAsync(invoice.TenantId, invoice.Id) : Task.FromResult<IReadOnlyList<CreditNoteSnapshot>>([]);

    /// <summary>Makes the refunds of credit notes still without one (on the tick: a refund cut short is made once, later).</summary>
    private async Task RefundPendingAsync(InvoiceRecord invoice)
    {
        if (invoice.PostPaymentCreditNotes == 0)
        {
            return;
        }
        _refundsPending = false;
        foreach (var note in (await reader.CreditNotesAsync(invoice.TenantId, invoice.Id)).Where(n => n is { RefundAmount: > 0, RefundId: null, Status: CreditNoteStatuses.Issued }))
        {
            await RefundAsync(invoice, note, throwOnFailure: false);
        }
    }

    private async Task<CreditNoteSnapshot> RefundAsync(InvoiceRecord invoice, CreditNoteSnapshot note, bool throwOnFailure)
    {
        try
        {
            var refundId = await GrainFactory.GetGrain<IInvoiceCollectionGrain>(this.GetPrimaryKeyString()).RefundAsync(invoice.CustomerId, note.Id, note.RefundAmount);
            await store.SetCreditNoteRefundAsync(invoice.TenantId, note.Id, refundId);
            return note with { RefundId = refundId };
        }
        catch (Exception e) when (e is not PlatformException || e is PlatformException { Kind: PlatformErrorKind.Unavailable })
        {
            // The note stands (committed); its refund is owed: the reminder stays until it is made (one refund per note at Stripe).
            _refundsPending = true;
            await this.RegisterOrUpdateReminder(WorkReminder, options.Value.ReminderPeriod, options.Value.ReminderPeriod);
            if (throwOnFailure)
            {
                throw;
            }
            logger.LogWarning(e, "The refund of credit note {CreditNote} failed before an answer; retried on the next tick", note.Id);
            return note;
        }
    }

    private static void StageNote(InvoiceRecord invoice, CreditNoteSnapshot note, string eventType, string auditAction, DateTimeOffset now)
    {
        var eventId = PlatformIds.DerivedEventId(invoice.TenantId, $"{note.Id}/{eventType}");
        invoice.Outbox.Add(new InvoiceOutboxItem(eventId, eventType, now, InvoiceEventData.Render(note), null, null));
        invoice.Outbox.Add(new InvoiceOutboxItem(null, null, now, null, auditAction, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["invoice"] = invoice.Id, ["credit_note"] = note.Id, ["number"] = note.Number, ["customer"] = invoice.CustomerId,
            ["amount"] = note.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture), ["currency"] = note.Currency,
            ["refund_amount"] = note.RefundAmount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["credit_amount"] = note.CreditAmount.ToString(System.Globalization.CultureInfo.InvariantCulture), ["status"] = note.Status,
        }, AuditContext.Actor, AuditContext.RequestId));
    }

    private static PlatformException NothingToInvoice() => new(PlatformErrorKind.InvalidRequest, InvoiceErrorCodes.NothingToInvoice,
        "The customer has no pending invoice items to bill; add some with POST /v1/invoice_items first.", "customer");
}

using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Invoices;
using Platform.Grains.Interfaces.Plans;
using Platform.Grains.Interfaces.StripeWebhooks;
using Platform.Grains.Invoices;

namespace Platform.Unit.Tests.Grains.Invoices;

public sealed class StripeInvoiceMirrorTests
{
    private const string Tenant = "ten_AAAAAAAAAAAAAAAAAAAA";
    private const string Customer = "cus_AAAAAAAAAAAAAAAAAAAA";
    private static readonly string _invoiceId = PlatformIds.MirroredInvoiceIdFor(Tenant, "in_stripe1");

    private static readonly PlanSnapshot _plan = new("plan_AAAAAAAAAAAAAAAAAAAA",
        new PlanDraft("daily", "Daily", PlanInterval.Day, "usd", 1500,
            [new UsageCharge("api_calls", PricingModel.Graduated, null, null, null, [new PriceTier(100, 10, 0), new PriceTier(null, 5, 0)])], 0, []),
        false, DateTimeOffset.UnixEpoch, 1, "price_flat", [new StripeUsagePrice("api_calls", "price_usage", "mtr_1", "ten.api_calls")]);

    private static readonly StripeInvoiceMirror.Context _context = new(Tenant, _invoiceId, Customer, _plan);

    [Fact]
    public void Apply_PaidFirst_MakesTheRowWithItsLines_FiresCreatedFinalizedPaid()
    {
        var result = StripeInvoiceMirror.Apply(null, Event("evt_3", "invoice.paid", 200, "paid", attempts: 1), _context);

        Assert.Equal(StripeEventOutcome.Applied, result.Outcome);
        Assert.Equal(["invoice.created", "invoice.finalized", "invoice.paid"], result.EventTypes);
        var invoice = result.Invoice!;
        Assert.Equal(InvoiceManagers.Stripe, invoice.ManagedBy);
        Assert.Equal("paid", invoice.Status);
        Assert.Equal("FAKE-1", invoice.Number);
        Assert.Equal(8000, invoice.Total);
        Assert.Equal(PlatformIds.SubscriptionIdOf(Customer), invoice.SubscriptionId);
        var usage = Assert.Single(invoice.Lines, l => l.Type == "usage");
        Assert.Equal(("api_calls", 1500m, 6500L, PricingModel.Graduated), (usage.Metric, usage.Quantity, usage.Amount, usage.Model));
        Assert.Equal(1500, Assert.Single(invoice.Lines, l => l.Type == "subscription").Amount);
    }

    [Fact]
    public void Apply_OlderDraftOrOpenAfterPaid_IsStale_AndFiresNothing()
    {
        var paid = StripeInvoiceMirror.Apply(null, Event("evt_3", "invoice.paid", 200, "paid", attempts: 1), _context).Invoice!;

        // Even a later event (a resend, or a late invoice.updated) cannot move a paid invoice back.
        foreach (var (id, type, status) in new[] { ("evt_1", "invoice.created", "draft"), ("evt_2", "invoice.finalized", "open"), ("evt_9", "invoice.updated", "open") })
        {
            var result = StripeInvoiceMirror.Apply(paid, Event(id, type, 300, status, attempts: 0), _context);
            Assert.Equal(StripeEventOutcome.Stale, result.Outcome);
            Assert.Empty(result.EventTypes);
            Assert.Equal("paid", result.Invoice!.Status);
        }
    }

    [Fact]
    public void Apply_InOrder_FiresEachStatusOnce_AndPaymentFailedOfTheSameSecondWins()
    {
        var draft = StripeInvoiceMirror.Apply(null, Event("evt_b", "invoice.created", 100, "draft", attempts: 0), _context);
        Assert.Equal(["invoice.created"], draft.EventTypes);
        Assert.Null(draft.Invoice!.Number);
        // The same second, a lower event id: the failed attempt is still newer than the finalization.
        var failed = StripeInvoiceMirror.Apply(draft.Invoice, Event("evt_a", "invoice.payment_failed", 100, "open", attempts: 1), _context);
        Assert.Equal(["invoice.finalized", "invoice.payment_failed"], failed.EventTypes);
        var finalized = StripeInvoiceMirror.Apply(failed.Invoice, Event("evt_z", "invoice.finalized", 100, "open", attempts: 0), _context);
        Assert.Equal(StripeEventOutcome.Stale, finalized.Outcome);
        // The invoice.updated of the same failure, applied first, fires the failure just the same (once).
        var updatedFirst = StripeInvoiceMirror.Apply(draft.Invoice, Event("evt_y", "invoice.updated", 100, "open", attempts: 1), _context);
        Assert.Equal(["invoice.finalized", "invoice.payment_failed"], updatedFirst.EventTypes);
        Assert.Empty(StripeInvoiceMirror.Apply(updatedFirst.Invoice, Event("evt_z2", "invoice.payment_failed", 100, "open", attempts: 1), _context).EventTypes);
        var voided = StripeInvoiceMirror.Apply(failed.Invoice, Event("evt_c", "invoice.voided", 101, "void", attempts: 1), _context);
        Assert.Equal(["invoice.voided"], voided.EventTypes);
        Assert.False(voided.LinesChanged);
    }

    private static StripeEventData Event(string id, string type, long created, string status, int attempts) => new()
    {
        Id = id,
        Type = type,
        Created = created,
        ObjectType = "invoice",
        ObjectId = "in_stripe1",
        ObjectCreated = 90,
        Status = status,
        Currency = "usd",
        Metadata = new Dictionary<string, string> { ["tenant_id"] = Tenant, ["customer_id"] = Customer, ["platform_plan"] = _plan.Id },
        Invoice = new StripeInvoiceDetails
        {
            Number = status == "draft" ? null : "FAKE-1",
            Subtotal = 8000,
            Total = 8000,
            AmountDue = 8000,
            AmountPaid = status == "paid" ? 8000 : 0,
            AmountRemaining = status == "paid" ? 0 : 8000,
            AttemptCount = attempts,
            PeriodStart = 0,
            PeriodEnd = 86_400,
            Lines =
            [
                new StripeInvoiceLine("il_1", "price_flat", "1 × daily", 1, 1500, 86_400, 172_800),
                new StripeInvoiceLine("il_2", "price_usage", "Usage", 1500, 6500, 0, 86_400),
            ],
        },
    };
}

namespace Platform.Grains.Interfaces.Invoices;

/// <summary>
/// What a closed period's draft invoice is made from: the subscription, its plan at the period's close
/// and the period [<see cref="PeriodStart"/>, <see cref="PeriodEnd"/>). The invoice id derives from
/// (tenant, subscription, period start) (PlatformIds.InvoiceIdFor), so a replayed roll-over names the same
/// grain. <see cref="DaysUntilDue"/> is used only by <c>send_invoice</c>. A <see cref="Trial"/> period is
/// invoiced at zero (its usage shown, priced at zero), as the preview does.
/// </summary>
[GenerateSerializer, Immutable, Alias("platform.invoice_draft")]
public sealed record InvoiceDraft(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] string SubscriptionId,
    [property: Id(2)] string PlanId,
    [property: Id(3)] DateTimeOffset PeriodStart,
    [property: Id(4)] DateTimeOffset PeriodEnd,
    [property: Id(5)] string CollectionMethod,
    [property: Id(6)] int? DaysUntilDue,
    [property: Id(7)] bool Trial = false);

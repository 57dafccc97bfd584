using System.Text.Json.Serialization;
using Platform.Grains.Interfaces.Billing;

namespace Platform.Api.Subscriptions;

/// <summary>Stripe's upcoming invoice, reduced: the current period's lines so far and their total, in minor units.</summary>
public sealed record InvoicePreviewResource(
    string Customer,
    string Subscription,
    string Plan,
    string Currency,
    long PeriodStart,
    long PeriodEnd,
    IReadOnlyList<InvoiceLineResource> Lines,
    long Total)
{
    [JsonPropertyOrder(-1)]
    public string Object => "upcoming_invoice";

    public static InvoicePreviewResource From(InvoicePreview p) => new(p.CustomerId, p.SubscriptionId, p.PlanId, p.Currency,
        p.PeriodStart.ToUnixTimeSeconds(), p.PeriodEnd.ToUnixTimeSeconds(),
        p.Lines.Select(l => new InvoiceLineResource(l.Description, l.Metric, l.Quantity, l.Amount)).ToArray(), p.Total);
}

public sealed record InvoiceLineResource(string Description, string? Metric, decimal Quantity, long Amount)
{
    [JsonPropertyOrder(-1)]
    public string Object => "line_item";
}

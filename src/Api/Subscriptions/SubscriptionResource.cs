using System.Text.Json.Serialization;
using Platform.Api.OpenApi;
using Platform.Grains.Interfaces.Subscriptions;

namespace Platform.Api.Subscriptions;

/// <summary>
/// A customer's subscription: one managed by Stripe (<c>managed_by: "stripe"</c>, sold through Checkout or only
/// mirrored; <c>id</c> is Stripe's <c>sub_…</c>, <c>plan</c> the tenant's plan its price maps to), or one created
/// here on a tenant's plan (<c>managed_by: "platform"</c>, <c>id</c> ours). <c>customer</c> is ours.
/// </summary>
public sealed record SubscriptionResource(
    string Id,
    string Customer,
    [property: WireValues(typeof(SubscriptionsApi), nameof(SubscriptionsApi.Statuses))] string Status,
    IReadOnlyList<SubscriptionItemResource> Items,
    long? CurrentPeriodStart,
    long? CurrentPeriodEnd,
    bool CancelAtPeriodEnd,
    long? CanceledAt,
    long? TrialEnd,
    long? EndedAt,
    string? LatestInvoice,
    string? LatestInvoiceStatus,
    long? Created,
    long Updated,
    string? Plan,
    string ManagedBy)
{
    [JsonPropertyOrder(-1)]
    public string Object => "subscription";

    public static SubscriptionResource From(SubscriptionSnapshot s) => new(
        s.StripeSubscriptionId, s.CustomerId, s.Status,
        s.Items.Select(i => new SubscriptionItemResource(i.Id, i.PriceId, i.Quantity)).ToArray(),
        Seconds(s.CurrentPeriodStart), Seconds(s.CurrentPeriodEnd), s.CancelAtPeriodEnd, Seconds(s.CanceledAt), Seconds(s.TrialEnd),
        Seconds(s.EndedAt), s.LatestInvoiceId, s.LatestInvoiceStatus, Seconds(s.Created), s.Updated.ToUnixTimeSeconds(), s.PlanId,
        s.ManagedByStripe ? "stripe" : "platform");

    private static long? Seconds(DateTimeOffset? time) => time?.ToUnixTimeSeconds();
}

public sealed record SubscriptionItemResource(string Id, string? Price, long Quantity)
{
    [JsonPropertyOrder(-1)]
    public string Object => "subscription_item";
}

using System.Text.Json.Nodes;
using Platform.Grains.Interfaces.Subscriptions;

namespace Platform.Grains.Subscriptions;

/// <summary>A subscription as the API shows it (SubscriptionResource in src/Api), for the <c>data.object</c> of subscription events.</summary>
public static class SubscriptionEventData
{
    public static string Render(SubscriptionSnapshot s)
    {
        var items = new JsonArray();
        foreach (var item in s.Items)
        {
            items.Add(new JsonObject { ["object"] = "subscription_item", ["id"] = item.Id, ["price"] = item.PriceId, ["quantity"] = item.Quantity });
        }
        return new JsonObject
        {
            ["object"] = "subscription",
            ["id"] = s.StripeSubscriptionId,
            ["customer"] = s.CustomerId,
            ["plan"] = s.PlanId,
            ["status"] = s.Status,
            ["items"] = items,
            ["current_period_start"] = s.CurrentPeriodStart?.ToUnixTimeSeconds(),
            ["current_period_end"] = s.CurrentPeriodEnd?.ToUnixTimeSeconds(),
            ["cancel_at_period_end"] = s.CancelAtPeriodEnd,
            ["canceled_at"] = s.CanceledAt?.ToUnixTimeSeconds(),
            ["trial_end"] = s.TrialEnd?.ToUnixTimeSeconds(),
            ["ended_at"] = s.EndedAt?.ToUnixTimeSeconds(),
            ["latest_invoice"] = s.LatestInvoiceId,
            ["latest_invoice_status"] = s.LatestInvoiceStatus,
            ["created"] = s.Created?.ToUnixTimeSeconds(),
            ["updated"] = s.Updated.ToUnixTimeSeconds(),
        }.ToJsonString();
    }
}

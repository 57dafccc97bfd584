using System.Text.Json.Nodes;
using Platform.StripeFake.Invoices;
using Platform.StripeFake.Webhooks;
using Platform.StripeFake.Wire;

namespace Platform.StripeFake.Subscriptions;

/// <summary>Fake-only: moves a subscription to a status with the events Stripe would send on the way.</summary>
internal static class SubscriptionStatusMoves
{
    public static void SetStatus(FakeServices services, JsonObject subscription, string status, RequestInfo request)
    {
        var before = (JsonObject)subscription.DeepClone();
        var now = services.Now;
        switch (status)
        {
            case "canceled":
                SubscriptionLifecycle.Cancel(services, subscription, request, "payment_failed");
                return;
            case "active":
                subscription["status"] = "active";
                if ((string?)before["status"] == "trialing")
                {
                    subscription["trial_end"] = now;
                }

                SubscriptionItems.StartPeriod(subscription, now);
                Bill(services, subscription, request, forcePaid: true);
                break;
            case "past_due" or "unpaid":
                subscription["status"] = status;
                Bill(services, subscription, request, forceFailed: true);
                break;
            case "trialing":
                subscription["status"] = "trialing";
                subscription["trial_start"] = now;
                subscription["trial_end"] = now + (7 * SubscriptionItems.SecondsPerDay);
                subscription["current_period_end"] = now + (7 * SubscriptionItems.SecondsPerDay);
                break;
            case "incomplete" or "incomplete_expired" or "paused":
                subscription["status"] = status;
                break;
            default:
                throw StripeApiException.InvalidRequest($"Invalid status: must be one of trialing, active, past_due, unpaid, canceled, incomplete, incomplete_expired or paused.", "status");
        }

        services.Publish("customer.subscription.updated", subscription, request, PreviousAttributes.Compute(before, subscription));
    }

    private static void Bill(FakeServices services, JsonObject subscription, RequestInfo request, bool forcePaid = false, bool forceFailed = false)
    {
        var period = (StripeJson.Long(subscription["current_period_start"]), StripeJson.Long(subscription["current_period_end"]));
        SubscriptionInvoices.Bill(
            services, subscription, InvoiceLines.Licensed(subscription, period.Item1, period.Item2), "subscription_cycle", period, request, forcePaid, forceFailed);
    }
}

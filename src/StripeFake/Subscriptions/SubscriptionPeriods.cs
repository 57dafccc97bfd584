using System.Text.Json.Nodes;
using Platform.StripeFake.Invoices;
using Platform.StripeFake.Webhooks;
using Platform.StripeFake.Wire;

namespace Platform.StripeFake.Subscriptions;

/// <summary>
/// The end of a billing period, as Stripe runs it: the next period starts where the last ended, and one <c>subscription_cycle</c> invoice bills the licensed
/// items in advance for the new period and the metered items in arrears for the period that ended (the
/// meter's total for the customer over it). A failed payment makes the subscription past_due; a
/// subscription set to cancel at period end is canceled after its last usage is invoiced. One
/// <c>customer.subscription.updated</c> follows the invoice's events, with the new period, latest invoice and status.
/// </summary>
internal static class SubscriptionPeriods
{
    /// <summary>Ends the current period of a subscription now, whatever the clock says (a test clock jump).</summary>
    public static void End(FakeServices services, JsonObject subscription, RequestInfo request)
    {
        var status = (string?)subscription["status"];
        if (status is not ("active" or "trialing" or "past_due" or "unpaid"))
        {
            throw StripeApiException.InvalidRequest($"Only an active, trialing, past_due or unpaid subscription has a period to end; this one is {status}.", "subscription");
        }

        var before = (JsonObject)subscription.DeepClone();
        var start = StripeJson.Long(subscription["current_period_start"]);
        var end = StripeJson.Long(subscription["current_period_end"]);
        var metered = InvoiceLines.Metered(services.State, subscription, start, end);
        if (subscription["cancel_at_period_end"]?.GetValue<bool>() == true)
        {
            if (metered.Count > 0)
            {
                SubscriptionInvoices.Bill(services, subscription, metered, "subscription_cycle", (start, end), request);
            }

            SubscriptionLifecycle.Cancel(services, subscription, request);
            return;
        }

        if (status == "trialing")
        {
            subscription["status"] = "active";
        }

        SubscriptionItems.StartPeriod(subscription, end);
        var next = (end, StripeJson.Long(subscription["current_period_end"]));
        var lines = InvoiceLines.Licensed(subscription, next.end, next.Item2);
        lines.AddRange(metered);
        if (!SubscriptionInvoices.Bill(services, subscription, lines, "subscription_cycle", (start, end), request))
        {
            subscription["status"] = "past_due";
        }

        services.Publish("customer.subscription.updated", subscription, request, PreviousAttributes.Compute(before, subscription));
    }

    /// <summary>Ends every period whose end has passed on the fake's clock (repeatedly, so a long jump bills each period); how many ended.</summary>
    public static int EndDue(FakeServices services, RequestInfo request)
    {
        var ended = 0;
        while (services.State.ListLive("subscription").FirstOrDefault(IsDue(services.Now)) is { } due)
        {
            End(services, due, request);
            ended++;
        }

        return ended;
    }

    private static Func<JsonObject, bool> IsDue(long now) => s =>
        (string?)s["status"] is "active" or "trialing" or "past_due" or "unpaid" && StripeJson.Long(s["current_period_end"]) <= now;
}

using System.Text;
using Platform.Grains.Interfaces.Plans;
using Platform.Grains.Interfaces.Subscriptions;
using static Platform.Api.Portal.PortalHtml;

namespace Platform.Api.Portal;

/// <summary>Overview: the plan, its status, the current period, the renewal or cancellation date and the trial's end.</summary>
public static class PortalOverviewPage
{
    public static RouteGroupBuilder MapPortalOverview(this RouteGroupBuilder portal)
    {
        portal.MapGet("/", Overview);
        return portal;
    }

    public static async Task Overview(HttpContext http, IGrainFactory grains)
    {
        var view = await PortalPages.ViewAsync(http, grains);
        var subscription = await grains.GetGrain<ISubscriptionGrain>(view.Customer.Key).GetAsync();
        var plan = subscription?.PlanId is { } planId ? await grains.GetGrain<IPlanCatalogGrain>(view.Customer.TenantId).GetAsync(planId) : null;
        await WriteAsync(http, 200, Page(view, PortalRoutes.Root, "Overview", Content(subscription, plan)));
    }

    public static string PlanName(PlanSnapshot? plan) => plan is null ? "No plan" : plan.Definition.Name ?? plan.Definition.Code;

    public static string Price(PlanDefinitionView plan) => Money(plan.Amount, plan.Currency) + " per " + plan.Interval;

    private static string Content(SubscriptionSnapshot? subscription, PlanSnapshot? plan)
    {
        if (subscription is null || subscription.Status is "canceled" or "incomplete_expired")
        {
            return "<section aria-labelledby=\"plan-h\" class=\"card\"><h2 id=\"plan-h\">Your plan</h2><p>You have no active subscription.</p>"
                + $"<p><a class=\"button\" href=\"{PortalRoutes.Plan}\">See plans</a></p></section>";
        }
        var html = new StringBuilder();
        html.Append("<section aria-labelledby=\"plan-h\" class=\"card\"><h2 id=\"plan-h\">Your plan</h2><dl class=\"facts\">")
            .Append("<dt>Plan</dt><dd id=\"plan-name\">").Append(E(PlanName(plan))).Append("</dd>");
        if (plan is not null)
        {
            html.Append("<dt>Price</dt><dd>").Append(E(Price(PlanDefinitionView.Of(plan)))).Append("</dd>");
        }
        html.Append("<dt>Status</dt><dd><span class=\"status status-").Append(E(subscription.Status)).Append("\" id=\"plan-status\">")
            .Append(E(StatusLabel(subscription.Status))).Append("</span></dd>")
            .Append("<dt>Current period</dt><dd>").Append(Date(subscription.CurrentPeriodStart)).Append(" – ").Append(Date(subscription.CurrentPeriodEnd)).Append("</dd>");
        if (subscription.CancelAtPeriodEnd)
        {
            html.Append("<dt>Cancels on</dt><dd id=\"plan-ends\">").Append(Date(subscription.CurrentPeriodEnd)).Append("</dd>");
        }
        else
        {
            html.Append("<dt>Renews on</dt><dd id=\"plan-renews\">").Append(Date(subscription.CurrentPeriodEnd)).Append("</dd>");
        }
        if (subscription.TrialEnd is { } trialEnd)
        {
            html.Append("<dt>Trial ends</dt><dd id=\"plan-trial\">").Append(Date(trialEnd)).Append("</dd>");
        }
        html.Append("</dl><p class=\"actions\"><a class=\"button\" href=\"").Append(PortalRoutes.Plan).Append("\">Change or cancel plan</a> ")
            .Append("<a class=\"button secondary\" href=\"").Append(PortalRoutes.Usage).Append("\">See usage</a></p></section>");
        return html.ToString();
    }

    public static string StatusLabel(string status) => status switch
    {
        "trialing" => "Trial",
        "active" => "Active",
        "past_due" => "Past due",
        "canceled" => "Canceled",
        "incomplete" => "Incomplete",
        "unpaid" => "Unpaid",
        _ => status,
    };
}

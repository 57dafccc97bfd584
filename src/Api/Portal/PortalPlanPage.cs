using System.Text;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Plans;
using Platform.Grains.Interfaces.Subscriptions;
using static Platform.Api.Portal.PortalHtml;

namespace Platform.Api.Portal;

/// <summary>
/// Change plan (the tenant's plans, a preview of the change, then confirm), cancel at the period's end, and undo it.
/// A plan id from the form is looked up in the cookie's tenant only, so another tenant's plan is simply unknown.
/// </summary>
public static class PortalPlanPage
{
    private static readonly Dictionary<string, string> Notices = new(StringComparer.Ordinal)
    {
        ["changed"] = "Your plan was changed.",
        ["canceled"] = "Your plan will end at the end of the current period.",
        ["resumed"] = "Your plan will renew as usual.",
    };

    public static RouteGroupBuilder MapPortalPlan(this RouteGroupBuilder portal)
    {
        portal.MapGet("/plan", Plans);
        portal.MapPost("/plan", Change);
        portal.MapPost("/plan/cancel", Cancel);
        portal.MapPost("/plan/resume", Resume);
        return portal;
    }

    public static async Task Plans(HttpContext http, IGrainFactory grains, string? preview, string? done)
    {
        var view = await PortalPages.ViewAsync(http, grains);
        var catalog = grains.GetGrain<IPlanCatalogGrain>(view.Customer.TenantId);
        var subscription = await grains.GetGrain<ISubscriptionGrain>(view.Customer.Key).GetAsync();
        var live = subscription is not null && subscription.Status is not ("canceled" or "incomplete_expired") ? subscription : null;
        var plans = (await catalog.ListAsync(new PageRequest(100, null))).Items.Where(p => !p.Archived).Select(PlanDefinitionView.Of).ToList();
        var html = new StringBuilder(Notice(done is not null ? Notices.GetValueOrDefault(done) : null));
        var target = preview is null ? null : plans.FirstOrDefault(p => p.Id == preview);
        if (target is not null && live is not null && live.PlanId != target.Id)
        {
            var current = plans.FirstOrDefault(p => p.Id == live.PlanId);
            var soFar = await grains.GetGrain<ISubscriptionGrain>(view.Customer.Key).PreviewInvoiceAsync();
            html.Append(Preview(view, live, current, target, soFar));
        }
        html.Append(Catalogue(plans, live));
        if (live is not null)
        {
            html.Append(Cancellation(view, live));
        }
        await WriteAsync(http, 200, Page(view, PortalRoutes.Plan, "Plan", html.ToString()));
    }

    public static async Task Change(HttpContext http, IGrainFactory grains)
    {
        if (!await PortalPages.ValidFormAsync(http))
        {
            return;
        }
        var customer = PortalClaims.Customer(http.User);
        var planId = (await http.Request.ReadFormAsync(http.RequestAborted))["plan"].ToString();
        var plan = PlatformIds.IsPlanId(planId) ? await grains.GetGrain<IPlanCatalogGrain>(customer.TenantId).GetAsync(planId) : null;
        if (plan is null || plan.Archived)
        {
            await WriteAsync(http, 404, Standalone("No such plan", "Choose one of the plans listed.", PortalRoutes.Plan, "Back to plans"));
            return;
        }
        if (await Attempt(http, () => grains.GetGrain<ISubscriptionGrain>(customer.Key).ChangePlanAsync(plan.Id, requestKey: http.TraceIdentifier)))
        {
            PortalPages.Done(http, PortalRoutes.Plan, "changed");
        }
    }

    public static async Task Cancel(HttpContext http, IGrainFactory grains)
    {
        if (await PortalPages.ValidFormAsync(http)
            && await Attempt(http, () => grains.GetGrain<ISubscriptionGrain>(PortalClaims.Customer(http.User).Key).CancelAsync(atPeriodEnd: true, http.TraceIdentifier)))
        {
            PortalPages.Done(http, PortalRoutes.Plan, "canceled");
        }
    }

    public static async Task Resume(HttpContext http, IGrainFactory grains)
    {
        if (await PortalPages.ValidFormAsync(http)
            && await Attempt(http, () => grains.GetGrain<ISubscriptionResumption>(PortalClaims.Customer(http.User).Key).ResumeAsync(http.TraceIdentifier)))
        {
            PortalPages.Done(http, PortalRoutes.Plan, "resumed");
        }
    }

    /// <summary>A refusal from the grain becomes a clear page instead of the API's JSON problem.</summary>
    private static async Task<bool> Attempt(HttpContext http, Func<Task<SubscriptionSnapshot?>> action)
    {
        try
        {
            if (await action() is null)
            {
                await WriteAsync(http, 404, Standalone("No subscription", "You have no subscription to change.", PortalRoutes.Plan, "Back to plans"));
                return false;
            }
            return true;
        }
        catch (PlatformException refusal) when (refusal.Kind is PlatformErrorKind.Conflict or PlatformErrorKind.InvalidRequest or PlatformErrorKind.NotFound)
        {
            await WriteAsync(http, 409, Standalone("That did not work", refusal.Message, PortalRoutes.Plan, "Back to plans"));
            return false;
        }
    }

    private static string Preview(PortalView view, SubscriptionSnapshot live, PlanDefinitionView? current, PlanDefinitionView target,
        Grains.Interfaces.Billing.InvoicePreview? soFar)
    {
        var html = new StringBuilder("<section class=\"card preview\" aria-labelledby=\"preview-h\"><h2 id=\"preview-h\">Switch to ")
            .Append(E(target.Name)).Append("?</h2><dl class=\"facts\">")
            .Append("<dt>Now</dt><dd>").Append(current is null ? "—" : E(current.Name + ", " + PortalOverviewPage.Price(current))).Append("</dd>")
            .Append("<dt>After the change</dt><dd id=\"preview-new\">").Append(E(target.Name + ", " + PortalOverviewPage.Price(target))).Append("</dd>");
        if (soFar is not null)
        {
            html.Append("<dt>This period so far</dt><dd>").Append(Money(soFar.Total, soFar.Currency)).Append("</dd>");
        }
        html.Append("</dl><p>").Append(live.ManagedByStripe
                ? "The change applies now; the price difference for the rest of this period is prorated on your next invoice."
                : "The change applies now and the current period is kept: this period's invoice is priced on the new plan.")
            .Append("</p>").Append(Form(view, PortalRoutes.Plan, "Confirm switch to " + target.Name,
                $"<input type=\"hidden\" name=\"plan\" value=\"{E(target.Id)}\">"))
            .Append("<p><a href=\"").Append(PortalRoutes.Plan).Append("\">Keep my current plan</a></p></section>");
        return html.ToString();
    }

    private static string Catalogue(IReadOnlyList<PlanDefinitionView> plans, SubscriptionSnapshot? live)
    {
        var html = new StringBuilder("<section aria-labelledby=\"plans-h\"><h2 id=\"plans-h\">Plans</h2><ul class=\"plans\">");
        foreach (var plan in plans)
        {
            var isCurrent = live?.PlanId == plan.Id;
            html.Append("<li class=\"card plan").Append(isCurrent ? " current" : "").Append("\"><h3>").Append(E(plan.Name)).Append("</h3><p class=\"price\">")
                .Append(E(PortalOverviewPage.Price(plan))).Append("</p>");
            if (plan.Entitlements.Count > 0)
            {
                html.Append("<ul class=\"features\">");
                foreach (var feature in plan.Entitlements)
                {
                    html.Append("<li>").Append(E(feature.Feature)).Append(feature.Limit is { } limit ? ": " + Number(limit) : "").Append("</li>");
                }
                html.Append("</ul>");
            }
            if (isCurrent)
            {
                html.Append("<p><strong>Your current plan</strong></p>");
            }
            else if (live is not null)
            {
                html.Append("<p><a class=\"button\" href=\"").Append(PortalRoutes.Plan).Append("?preview=").Append(Uri.EscapeDataString(plan.Id))
                    .Append("\" aria-label=\"Switch to ").Append(E(plan.Name)).Append("\">Switch to this plan</a></p>");
            }
            html.Append("</li>");
        }
        return html.Append("</ul></section>").ToString();
    }

    private static string Cancellation(PortalView view, SubscriptionSnapshot live)
    {
        var html = new StringBuilder("<section class=\"card\" aria-labelledby=\"cancel-h\"><h2 id=\"cancel-h\">Cancel</h2>");
        if (live.CancelAtPeriodEnd)
        {
            html.Append("<p id=\"cancel-state\">Your plan ends on ").Append(Date(live.CurrentPeriodEnd)).Append(".</p>")
                .Append(Form(view, PortalRoutes.Resume, "Keep my plan"));
        }
        else
        {
            html.Append("<p id=\"cancel-state\">Your plan renews on ").Append(Date(live.CurrentPeriodEnd))
                .Append(". If you cancel, it stays active until then.</p>").Append(Form(view, PortalRoutes.Cancel, "Cancel at period end", buttonClass: "button danger"));
        }
        return html.Append("</section>").ToString();
    }
}

using System.Text.Json.Nodes;
using Platform.StripeFake.Webhooks;
using Platform.StripeFake.Wire;

namespace Platform.StripeFake.Subscriptions;

/// <summary><c>/v1/subscriptions</c>: create, retrieve, list, update and cancel.</summary>
internal static class SubscriptionsApi
{
    public static IEndpointRouteBuilder MapSubscriptionsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/subscriptions").WithTags("Subscriptions");
        group.MapPost("/", CreateAsync).WithName("CreateSubscription");
        group.MapGet("/", ListAsync).WithName("ListSubscriptions");
        group.MapGet("/{id}", GetAsync).WithName("GetSubscription");
        group.MapPost("/{id}", UpdateAsync).WithName("UpdateSubscription");
        group.MapDelete("/{id}", CancelAsync).WithName("CancelSubscription");
        return app;
    }

    public static IReadOnlyList<SubscriptionItemSpec> ItemsOf(IReadOnlyList<JsonObject> items) =>
        [.. items.Select(i => new SubscriptionItemSpec(
            FormRequest.GetString(i, "price") ?? throw StripeApiException.InvalidRequest("Missing required param: items[0][price].", "items", "parameter_missing"),
            FormRequest.GetLong(i, "quantity")))];

    private static async Task<IResult> CreateAsync(HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        var customerId = form.Require("customer");
        var items = ItemsOf(form.GetObjects("items"));
        var request = RequestInfo.From(http);
        lock (services.State.Sync)
        {
            var subscription = SubscriptionLifecycle.Create(
                services, customerId, items, form.GetLong("trial_period_days"), form.Root["metadata"], form.GetString("default_payment_method"), request);
            return services.Render(subscription, form);
        }
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        lock (services.State.Sync)
        {
            return services.Render(services.State.Require(id, "subscription"), form);
        }
    }

    private static async Task<IResult> UpdateAsync(string id, HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        var request = RequestInfo.From(http);
        lock (services.State.Sync)
        {
            var subscription = services.State.Require(id, "subscription");
            SubscriptionLifecycle.Update(services, subscription, form, request);
            return services.Render(subscription, form);
        }
    }

    private static async Task<IResult> CancelAsync(string id, HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        var request = RequestInfo.From(http);
        lock (services.State.Sync)
        {
            var subscription = services.State.Require(id, "subscription");
            SubscriptionLifecycle.Cancel(services, subscription, request);
            return services.Render(subscription, form);
        }
    }

    private static async Task<IResult> ListAsync(HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        var customerId = form.GetString("customer");
        var status = form.GetString("status");
        lock (services.State.Sync)
        {
            var items = services.State.ListLive("subscription")
                .Where(s => customerId is null || (string?)s["customer"] == customerId)
                .Where(s => status == "all" || (status is null ? (string?)s["status"] != "canceled" : (string?)s["status"] == status))
                .Reverse();
            return StripeJson.Ok(StripeJson.List("/v1/subscriptions", items, form));
        }
    }
}

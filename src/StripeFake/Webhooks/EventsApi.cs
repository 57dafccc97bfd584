using Platform.StripeFake.Wire;

namespace Platform.StripeFake.Webhooks;

/// <summary><c>/v1/events</c>: the events the fake emitted, as Stripe lists them.</summary>
internal static class EventsApi
{
    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/events").WithTags("Events");
        group.MapGet("/", ListAsync).WithName("ListEvents");
        group.MapGet("/{id}", GetAsync).WithName("GetEvent");
        return app;
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        lock (services.State.Sync)
        {
            return services.Render(services.State.Require(id, "event"), form);
        }
    }

    private static async Task<IResult> ListAsync(HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        var type = form.GetString("type");
        lock (services.State.Sync)
        {
            var items = services.State.ListLive("event")
                .Where(e => type is null || (type.EndsWith('*') ? ((string?)e["type"] ?? string.Empty).StartsWith(type[..^1], StringComparison.Ordinal) : (string?)e["type"] == type))
                .Reverse();
            return StripeJson.Ok(StripeJson.List("/v1/events", items, form));
        }
    }
}

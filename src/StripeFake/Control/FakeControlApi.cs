using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Platform.StripeFake.Faults;
using Platform.StripeFake.Requests;
using Platform.StripeFake.Webhooks;
using Platform.StripeFake.Wire;

namespace Platform.StripeFake.Control;

/// <summary>Fake-only endpoints under <c>/_fake</c>: request log, faults, webhooks, and pushing objects through states.</summary>
internal static class FakeControlApi
{
    private static readonly JsonSerializerOptions _snakeCase = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static IEndpointRouteBuilder MapFakeControlApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/_fake").WithTags("Fake control").ExcludeFromDescription();
        group.MapGet("/requests", (RequestLog log) => Results.Json(log.Entries, _snakeCase)).WithName("FakeListRequests");
        group.MapDelete("/requests", (RequestLog log) => { log.Clear(); return Results.NoContent(); }).WithName("FakeClearRequests");
        group.MapGet("/faults", (FaultInjector faults) => Results.Json(faults.Pending, _snakeCase)).WithName("FakeListFaults");
        group.MapPost("/faults", AddFaultAsync).WithName("FakeAddFault");
        group.MapDelete("/faults", (FaultInjector faults) => { faults.Clear(); return Results.NoContent(); }).WithName("FakeClearFaults");
        group.MapGet("/events", (WebhookOutbox outbox) => StripeJson.Ok(new JsonObject { ["data"] = new JsonArray([.. outbox.Events]) })).WithName("FakeListEvents");
        group.MapPost("/events", EmitAsync).WithName("FakeEmitEvent");
        group.MapGet("/webhooks/deliveries", (WebhookOutbox outbox) => Results.Json(outbox.Deliveries, _snakeCase)).WithName("FakeListDeliveries");
        group.MapPost("/webhooks/resend/{eventId}", Resend).WithName("FakeResendEvent");
        group.MapPost("/sign", SignAsync).WithName("FakeSign");
        group.MapPost("/checkout/{id}/complete", CompleteCheckoutAsync).WithName("FakeCompleteCheckout");
        group.MapPost("/subscriptions/{id}/status", SetStatusAsync).WithName("FakeSetSubscriptionStatus");
        group.MapPost("/subscriptions/{id}/end_period", (string id, FakeControl control) => StripeJson.Ok(control.EndSubscriptionPeriod(id))).WithName("FakeEndSubscriptionPeriod");
        group.MapPost("/subscriptions/end_due_periods", (FakeControl control) => StripeJson.Ok(new JsonObject { ["ended"] = control.EndDuePeriods() })).WithName("FakeEndDuePeriods");
        group.MapPost("/subscriptions/{id}/trial_will_end", (string id, FakeControl control) => StripeJson.Ok(control.SendTrialWillEnd(id))).WithName("FakeTrialWillEnd");
        group.MapPost("/payment_intents/{id}/authenticate", AuthenticateAsync).WithName("FakeAuthenticatePaymentIntent");
        group.MapGet("/meter_totals", MeterTotalsAsync).WithName("FakeMeterTotals");
        group.MapGet("/objects/{id}", (string id, StripeFakeState state) =>
            state.Get(id) is { } found ? StripeJson.Ok(found) : throw StripeApiException.Missing(id)).WithName("FakeGetObject");
        return app;
    }

    private static async Task<IResult> AddFaultAsync(HttpContext http, FaultInjector faults)
    {
        var form = await FormRequest.ReadAsync(http);
        var kind = form.GetString("kind") switch
        {
            "error" or "server_error" or "500" => FaultKind.ServerError,
            "rate_limit" or "429" => FaultKind.RateLimit,
            "delay" or "delay_before" => FaultKind.DelayBeforeProcessing,
            "delay_after_commit" => FaultKind.DelayAfterCommit,
            "drop_after_commit" => FaultKind.DropAfterCommit,
            "refusal" or "400" => FaultKind.Refusal,
            var other => throw StripeApiException.InvalidRequest(
                $"Unknown fault kind '{other}': use error, rate_limit, delay, delay_after_commit, drop_after_commit or refusal.", "kind"),
        };
        var rule = new FaultRule
        {
            Kind = kind,
            PathPrefix = form.GetString("path_prefix") ?? "/v1/",
            Method = form.GetString("method"),
            StatusCode = (int)(form.GetLong("status") ?? kind switch { FaultKind.RateLimit => 429, FaultKind.Refusal => 400, _ => 500 }),
            BodyContains = form.GetString("body_contains"),
            ErrorCode = form.GetString("code") ?? (kind == FaultKind.Refusal ? "parameter_invalid" : null),
            Delay = TimeSpan.FromMilliseconds(form.GetLong("delay_ms") ?? 10_000),
            Remaining = (int)(form.GetLong("count") ?? 1),
        };
        faults.Add(rule);
        return Results.Json(rule, _snakeCase);
    }

    private static async Task<IResult> EmitAsync(HttpContext http, WebhookOutbox outbox)
    {
        var form = await FormRequest.ReadAsync(http);
        var type = form.Require("type");
        var dataObject = form.Root["data"]?["object"] as JsonObject ?? form.GetObject("object")
            ?? throw StripeApiException.InvalidRequest("Provide the event's object as data.object (JSON).", "data");
        var previous = form.Root["data"]?["previous_attributes"] as JsonObject ?? form.GetObject("previous_attributes");
        return StripeJson.Ok(outbox.Emit(type, dataObject, previous));
    }

    private static IResult Resend(string eventId, WebhookOutbox outbox) =>
        outbox.Resend(eventId)
            ? StripeJson.Ok(new JsonObject { ["id"] = eventId, ["resent"] = true })
            : throw StripeApiException.Missing(eventId);

    private static async Task<IResult> SignAsync(HttpContext http, WebhookOutbox outbox)
    {
        var form = await FormRequest.ReadAsync(http);
        var payload = form.GetString("payload") ?? form.RawBody;
        return StripeJson.Ok(new JsonObject { ["payload"] = payload, ["stripe_signature"] = outbox.Sign(payload) });
    }

    private static async Task<IResult> CompleteCheckoutAsync(string id, HttpContext http, FakeControl control)
    {
        var form = await FormRequest.ReadAsync(http);
        var session = control.CompleteCheckoutSession(id, form.GetString("payment_method"));
        if (form.GetBool("redirect") == true && (string?)session["success_url"] is { } successUrl)
        {
            return Results.Redirect(successUrl.Replace("{CHECKOUT_SESSION_ID}", id, StringComparison.Ordinal));
        }

        return StripeJson.Ok(session);
    }

    private static async Task<IResult> SetStatusAsync(string id, HttpContext http, FakeControl control)
    {
        var form = await FormRequest.ReadAsync(http);
        return StripeJson.Ok(control.SetSubscriptionStatus(id, form.Require("status")));
    }

    private static async Task<IResult> AuthenticateAsync(string id, HttpContext http, FakeControl control)
    {
        var form = await FormRequest.ReadAsync(http);
        var outcome = form.GetString("outcome") ?? "succeed";
        return StripeJson.Ok(control.AuthenticatePaymentIntent(id, outcome is "succeed" or "success" or "succeeded"));
    }

    private static async Task<IResult> MeterTotalsAsync(HttpContext http, StripeFakeState state)
    {
        var form = await FormRequest.ReadAsync(http);
        var customer = form.Require("customer");
        var eventName = form.Require("event_name");
        return StripeJson.Ok(new JsonObject
        {
            ["customer"] = customer,
            ["event_name"] = eventName,
            ["total"] = state.GetMeterTotal(customer, eventName),
            ["count"] = state.GetMeterEventCount(customer, eventName),
        });
    }
}

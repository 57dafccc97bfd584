using System.Globalization;
using System.Text.Json.Nodes;
using Platform.StripeFake.Wire;

namespace Platform.StripeFake.Billing;

/// <summary>
/// <c>POST /v1/billing/meter_events</c> (what Stripe.net's <c>V1.Billing.MeterEvents</c> calls): counts a value
/// per customer (the payload key the event name's meter maps, see <see cref="MeterMapping"/>) and event name; a repeated <c>identifier</c> is accepted and not counted again.
/// </summary>
internal static class MeterEventsApi
{
    public static IEndpointRouteBuilder MapMeterEventsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/billing/meter_events", CreateAsync).WithTags("Billing").WithName("CreateMeterEvent");
        return app;
    }

    private static async Task<IResult> CreateAsync(HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        var eventName = form.Require("event_name");
        var payload = form.GetObject("payload")
            ?? throw StripeApiException.InvalidRequest("Missing required param: payload.", "payload", "parameter_missing");
        var identifier = form.GetString("identifier") ?? StripeJson.NewId("mev");
        lock (services.State.Sync)
        {
            if (services.State.FindMeterEvent(identifier) is { } existing)
            {
                return StripeJson.Ok((JsonObject)existing.DeepClone());
            }

            var (customerKey, valueKey) = MeterMapping.KeysFor(services.State, eventName);
            var customerId = FormRequest.GetString(payload, customerKey)
                ?? throw StripeApiException.InvalidRequest($"Missing required param: payload[{customerKey}].", $"payload[{customerKey}]", "parameter_missing");
            var valueText = FormRequest.GetString(payload, valueKey) ?? "1";
            if (!decimal.TryParse(valueText, NumberStyles.Number, CultureInfo.InvariantCulture, out var value))
            {
                throw StripeApiException.InvalidRequest($"The value '{valueText}' of payload[{valueKey}] is not a number.", $"payload[{valueKey}]");
            }

            var timestamp = form.GetLong("timestamp") ?? services.Now;

            var meterEvent = new JsonObject
            {
                ["object"] = "billing.meter_event",
                ["created"] = services.Now,
                ["event_name"] = eventName,
                ["identifier"] = identifier,
                ["livemode"] = false,
                ["payload"] = payload.DeepClone(),
                ["timestamp"] = timestamp,
            };
            services.State.AddMeterEvent(new MeterEventRecord(identifier, eventName, customerId, value, timestamp), meterEvent);
            return StripeJson.Ok((JsonObject)meterEvent.DeepClone());
        }
    }
}

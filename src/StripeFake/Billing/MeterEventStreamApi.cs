using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.StripeFake.Wire;

namespace Platform.StripeFake.Billing;

/// <summary>
/// Stripe's high-throughput meter events (what Stripe.net's <c>V2.Billing.MeterEventSession</c> and
/// <c>V2.Billing.MeterEventStream</c> call). A session, created with the secret key, yields a token valid
/// for 15 minutes; the stream takes up to 100 events per request authenticated by that token, JSON-encoded.
/// As on Stripe, the request is validated synchronously (shape, sizes, types: a 400 refuses the whole
/// request) and the events asynchronously: an event for an unknown customer or out of the timestamp window
/// is accepted with 200 and then recorded as a meter error instead of being counted
/// (<see cref="StripeFakeState.MeterEventErrors"/>; Stripe reports those in meter error reports).
/// A repeated <c>identifier</c> is not counted again.
/// </summary>
internal static class MeterEventStreamApi
{
    public const string StreamPath = "/v2/billing/meter_event_stream";
    public const int MaxEventsPerRequest = 100;
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan _maxAge = TimeSpan.FromDays(35);
    private static readonly TimeSpan _maxAhead = TimeSpan.FromMinutes(5);

    public static IEndpointRouteBuilder MapMeterEventStreamApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v2/billing/meter_event_session", CreateSession).WithTags("Billing").WithName("CreateMeterEventSession");
        app.MapPost(StreamPath, StreamAsync).WithTags("Billing").WithName("CreateMeterEventStream");
        return app;
    }

    private static IResult CreateSession([AsParameters] FakeServices services)
    {
        var now = services.Options.TimeProvider.GetUtcNow();
        var session = new MeterEventSession(StripeJson.NewId("mes"), StripeJson.NewId("mes_tok", 32), now + SessionLifetime);
        lock (services.State.Sync)
        {
            services.State.AddMeterEventSession(session);
        }
        return StripeJson.Ok(new JsonObject
        {
            ["id"] = session.Id,
            ["object"] = "v2.billing.meter_event_session",
            ["authentication_token"] = session.Token,
            ["created"] = Iso(now),
            ["expires_at"] = Iso(session.ExpiresAt),
            ["livemode"] = false,
        });
    }

    private static async Task<IResult> StreamAsync(HttpContext http, [AsParameters] FakeServices services)
    {
        var now = services.Options.TimeProvider.GetUtcNow();
        var token = Wire.ApiKeyMiddleware.PresentedKey(http);
        MeterEventSession? session;
        lock (services.State.Sync)
        {
            session = token is null ? null : services.State.FindMeterEventSession(token);
        }
        if (session is null)
        {
            throw new StripeApiException(401, "invalid_request_error", "Invalid or missing meter event session token.", "authentication_required");
        }
        if (session.ExpiresAt <= now)
        {
            throw new StripeApiException(401, "temporary_session_expired", "The meter event session has expired; create a new one.",
                "billing_meter_event_session_expired");
        }

        var events = ParseEvents(await FormRequest.ReadBodyAsync(http));
        lock (services.State.Sync)
        {
            // All events are resolved (the meter's payload keys) before any is counted: a 400 refuses the whole request.
            foreach (var meterEvent in events.Select(e => Resolve(services.State, e)).ToList())
            {
                var identifier = meterEvent.Identifier ?? StripeJson.NewId("mev");
                if (services.State.FindMeterEvent(identifier) is not null)
                {
                    continue;
                }
                var timestamp = meterEvent.Timestamp ?? now;
                var asyncError = !IsCustomer(services.State.Find(meterEvent.CustomerId)) ? "meter_event_customer_not_found"
                    : timestamp < now - _maxAge ? "timestamp_too_far_in_past"
                    : timestamp > now + _maxAhead ? "timestamp_in_future"
                    : null;
                if (asyncError is not null)
                {
                    services.State.AddMeterEventError(new MeterEventError(identifier, meterEvent.EventName, meterEvent.CustomerId, asyncError));
                    continue;
                }
                services.State.AddMeterEvent(new MeterEventRecord(identifier, meterEvent.EventName, meterEvent.CustomerId, meterEvent.Value, timestamp.ToUnixTimeSeconds()), new JsonObject
                {
                    ["object"] = "v2.billing.meter_event",
                    ["created"] = Iso(now),
                    ["event_name"] = meterEvent.EventName,
                    ["identifier"] = identifier,
                    ["livemode"] = false,
                    ["payload"] = meterEvent.Payload.DeepClone(),
                    ["timestamp"] = Iso(timestamp),
                });
            }
        }
        return StripeJson.Ok([]);
    }

    private static List<StreamEvent> ParseEvents(string body)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body.Length == 0 ? "{}" : body);
        }
        catch (JsonException)
        {
            throw StripeApiException.InvalidRequest("The request body is not valid JSON.");
        }
        if (root?["events"] is not JsonArray array || array.Count == 0)
        {
            throw StripeApiException.InvalidRequest("Missing required param: events.", "events", "parameter_missing");
        }
        if (array.Count > MaxEventsPerRequest)
        {
            throw StripeApiException.InvalidRequest($"events may hold at most {MaxEventsPerRequest} events.", "events", "parameter_invalid");
        }
        var events = new List<StreamEvent>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            var prefix = $"events[{i}]";
            if (array[i] is not JsonObject item)
            {
                throw StripeApiException.InvalidRequest($"{prefix} must be an object.", prefix, "parameter_invalid");
            }
            var eventName = Text(item, "event_name", prefix, required: true, maxLength: 100)!;
            var identifier = Text(item, "identifier", prefix, required: false, maxLength: 100);
            if (item["payload"] is not JsonObject payload || payload.Any(p => p.Value is not JsonValue v || v.GetValueKind() != JsonValueKind.String))
            {
                throw StripeApiException.InvalidRequest($"{prefix}.payload must be an object of strings.", $"{prefix}.payload", "parameter_invalid");
            }
            DateTimeOffset? timestamp = null;
            if (Text(item, "timestamp", prefix, required: false, maxLength: 64) is { } timestampText)
            {
                timestamp = DateTimeOffset.TryParse(timestampText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                    ? parsed
                    : throw StripeApiException.InvalidRequest($"{prefix}.timestamp must be an RFC 3339 date-time.", $"{prefix}.timestamp", "parameter_invalid");
            }
            events.Add(new StreamEvent(eventName, identifier, payload, timestamp, prefix));
        }
        return events;
    }

    /// <summary>The customer and value of an event, read under the keys of its event name's meter.</summary>
    private static ResolvedStreamEvent Resolve(StripeFakeState state, StreamEvent meterEvent)
    {
        var (customerKey, valueKey) = MeterMapping.KeysFor(state, meterEvent.EventName);
        var prefix = $"{meterEvent.Prefix}.payload";
        var customerId = Text(meterEvent.Payload, customerKey, prefix, required: true, maxLength: 255)!;
        var valueText = Text(meterEvent.Payload, valueKey, prefix, required: true, maxLength: 64)!;
        if (!decimal.TryParse(valueText, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw StripeApiException.InvalidRequest($"{prefix}.{valueKey} must be a number.", $"{prefix}.{valueKey}", "parameter_invalid");
        }

        return new ResolvedStreamEvent(meterEvent.EventName, meterEvent.Identifier, customerId, value, meterEvent.Timestamp, meterEvent.Payload);
    }

    private static bool IsCustomer(JsonObject? found) => found is not null && (string?)found["object"] == "customer" && found["deleted"] is null;

    private static string? Text(JsonObject obj, string name, string prefix, bool required, int maxLength)
    {
        var node = obj[name];
        if (node is null)
        {
            return required ? throw StripeApiException.InvalidRequest($"Missing required param: {prefix}.{name}.", $"{prefix}.{name}", "parameter_missing") : null;
        }
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String || value.GetValue<string>() is not { Length: > 0 } text || text.Length > maxLength)
        {
            throw StripeApiException.InvalidRequest($"{prefix}.{name} must be a string of 1 to {maxLength} characters.", $"{prefix}.{name}", "parameter_invalid");
        }
        return text;
    }

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}

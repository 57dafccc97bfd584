using System.Text.Json.Nodes;
using System.Threading.Channels;
using Platform.StripeFake.Wire;

namespace Platform.StripeFake.Webhooks;

/// <summary>
/// Events the fake emitted and their deliveries. Events are stored like other objects (so
/// <c>GET /v1/events/{id}</c> works) and queued for the background <see cref="WebhookDispatcher"/>.
/// </summary>
public sealed class WebhookOutbox
{
    private readonly StripeFakeState _state;
    private readonly StripeFakeOptions _options;
    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>();
    private readonly Lock _deliveriesSync = new();
    private readonly List<WebhookDelivery> _deliveries = [];
    private readonly Dictionary<string, string> _payloads = new(StringComparer.Ordinal);

    internal WebhookOutbox(StripeFakeState state, StripeFakeOptions options)
    {
        _state = state;
        _options = options;
        Url = options.WebhookUrl;
    }

    /// <summary>Where events are POSTed; null keeps them in memory only.</summary>
    public string? Url { get; set; }

    /// <summary>The endpoint secret that signs deliveries.</summary>
    public string Secret => _options.WebhookSecret;

    /// <summary>Every delivery attempt so far.</summary>
    public IReadOnlyList<WebhookDelivery> Deliveries
    {
        get
        {
            lock (_deliveriesSync)
            {
                return [.. _deliveries];
            }
        }
    }

    /// <summary>Copies of all events emitted, oldest first.</summary>
    public IReadOnlyList<JsonObject> Events => _state.List("event");

    internal ChannelReader<string> Queue => _queue.Reader;

    /// <summary>Emits an arbitrary event whose <c>data.object</c> is <paramref name="dataObject"/>.</summary>
    public JsonObject Emit(string type, JsonObject dataObject, JsonObject? previousAttributes = null) =>
        Publish(type, dataObject, previousAttributes, RequestInfo.Automatic);

    /// <summary>Queues an existing event for delivery again; false when no such event.</summary>
    public bool Resend(string eventId)
    {
        lock (_state.Sync)
        {
            if (PayloadLocked(eventId) is null)
            {
                return false;
            }
        }

        return _queue.Writer.TryWrite(eventId);
    }

    /// <summary>A <c>Stripe-Signature</c> header for any payload, signed with the endpoint secret.</summary>
    public string Sign(string payload, DateTimeOffset? timestamp = null) =>
        WebhookSignature.CreateHeader(payload, Secret, timestamp ?? _options.TimeProvider.GetUtcNow());

    internal JsonObject Publish(string type, JsonObject dataObject, JsonObject? previousAttributes, RequestInfo request)
    {
        var data = new JsonObject { ["object"] = dataObject.DeepClone() };
        if (previousAttributes is { Count: > 0 })
        {
            data["previous_attributes"] = previousAttributes.DeepClone();
        }

        var evt = new JsonObject
        {
            ["id"] = StripeJson.NewId("evt"),
            ["object"] = "event",
            ["api_version"] = _options.ApiVersion,
            ["created"] = StripeJson.Now(_options.TimeProvider),
            ["data"] = data,
            ["livemode"] = false,
            ["pending_webhooks"] = Url is null ? 0 : 1,
            ["request"] = new JsonObject { ["id"] = request.Id, ["idempotency_key"] = request.IdempotencyKey },
            ["type"] = type,
        };
        var id = (string)evt["id"]!;
        lock (_state.Sync)
        {
            _state.Add(evt, null);
            _payloads[id] = evt.ToJsonString();
        }

        _queue.Writer.TryWrite(id);
        return (JsonObject)evt.DeepClone();
    }

    internal string? Payload(string eventId)
    {
        lock (_state.Sync)
        {
            return PayloadLocked(eventId);
        }
    }

    /// <summary>Events loaded from the state file have no cached payload: it is their stored JSON.</summary>
    private string? PayloadLocked(string eventId) =>
        _payloads.GetValueOrDefault(eventId) ?? (_state.Find(eventId) is { } evt && (string?)evt["object"] == "event" ? evt.ToJsonString() : null);

    internal void Record(WebhookDelivery delivery)
    {
        lock (_deliveriesSync)
        {
            _deliveries.Add(delivery);
        }
    }

    internal void Complete() => _queue.Writer.TryComplete();
}

using System.Globalization;
using System.Text.Json.Nodes;
using Platform.StripeFake.Billing;

namespace Platform.StripeFake;

/// <summary>
/// Everything the fake knows, in memory, behind one lock: Stripe objects by id, how many objects each
/// idempotency key created, and meter event totals. Public reads return copies for test assertions.
/// </summary>
public sealed class StripeFakeState
{
    private readonly Dictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private readonly Dictionary<(string ObjectType, string Key), int> _createdByKey = [];
    private readonly Dictionary<(string Customer, string EventName), MeterTotal> _meterTotals = [];
    private readonly Dictionary<string, JsonObject> _meterEventsByIdentifier = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _internals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MeterEventSession> _meterEventSessions = new(StringComparer.Ordinal);
    private readonly List<MeterEventError> _meterEventErrors = [];
    private readonly Dictionary<string, List<MeterEventRecord>> _meterEventsByName = new(StringComparer.Ordinal);

    internal Lock Sync { get; } = new();

    /// <summary>A copy of the object with this id, or null.</summary>
    public JsonObject? Get(string id)
    {
        lock (Sync)
        {
            return _objects.TryGetValue(id, out var found) ? (JsonObject)found.DeepClone() : null;
        }
    }

    /// <summary>Copies of all objects whose <c>object</c> field is <paramref name="objectType"/>, oldest first.</summary>
    public IReadOnlyList<JsonObject> List(string objectType)
    {
        lock (Sync)
        {
            return [.. ListLive(objectType).Select(o => (JsonObject)o.DeepClone())];
        }
    }

    /// <summary>How many objects of a type exist, e.g. <c>payment_intent</c>.</summary>
    public int Count(string objectType)
    {
        lock (Sync)
        {
            return ListLive(objectType).Count();
        }
    }

    /// <summary>How many objects of a type were created by requests carrying this Idempotency-Key.</summary>
    public int CountCreated(string objectType, string idempotencyKey)
    {
        lock (Sync)
        {
            return _createdByKey.GetValueOrDefault((objectType, idempotencyKey));
        }
    }

    /// <summary>How many PaymentIntents requests with this Idempotency-Key created (1 when retries were safe).</summary>
    public int CountPaymentIntentsCreated(string idempotencyKey) => CountCreated("payment_intent", idempotencyKey);

    /// <summary>Sum of meter event values for a customer and event name (deduplicated by identifier).</summary>
    public decimal GetMeterTotal(string customerId, string eventName)
    {
        lock (Sync)
        {
            return _meterTotals.TryGetValue((customerId, eventName), out var total) ? total.Value : 0m;
        }
    }

    /// <summary>How many distinct meter events (by identifier) were counted for a customer and event name.</summary>
    public int GetMeterEventCount(string customerId, string eventName)
    {
        lock (Sync)
        {
            return _meterTotals.TryGetValue((customerId, eventName), out var total) ? total.Count : 0;
        }
    }

    /// <summary>Events the meter event stream accepted and then refused asynchronously (unknown customer, timestamp window).</summary>
    public IReadOnlyList<MeterEventError> MeterEventErrors
    {
        get
        {
            lock (Sync)
            {
                return [.. _meterEventErrors];
            }
        }
    }

    /// <summary>Whether a meter event with this identifier was counted.</summary>
    public bool HasMeterEvent(string identifier)
    {
        lock (Sync)
        {
            return _meterEventsByIdentifier.ContainsKey(identifier);
        }
    }

    internal void Add(JsonObject obj, string? idempotencyKey)
    {
        var id = (string)obj["id"]!;
        _objects[id] = obj;
        _order.Add(id);
        if (idempotencyKey is not null && (string?)obj["object"] is { } objectType)
        {
            _createdByKey[(objectType, idempotencyKey)] = _createdByKey.GetValueOrDefault((objectType, idempotencyKey)) + 1;
        }
    }

    internal JsonObject? Find(string? id) => id is not null && _objects.TryGetValue(id, out var found) ? found : null;

    internal JsonObject Require(string id, string objectType, string param = "id")
    {
        var found = Find(id);
        return found is not null && (string?)found["object"] == objectType && found["deleted"] is null
            ? found
            : throw Wire.StripeApiException.Missing(id, param);
    }

    internal IEnumerable<JsonObject> ListLive(string objectType) =>
        _order.Select(id => _objects[id]).Where(o => (string?)o["object"] == objectType);

    /// <summary>The <c>proration_behavior</c> of the last update of a subscription (Stripe's default when none was sent); null before any.</summary>
    public string? ProrationBehaviorOf(string subscriptionId)
    {
        lock (Sync)
        {
            return _internals.TryGetValue(subscriptionId, out var data) ? (string?)data[Subscriptions.SubscriptionLifecycle.ProrationBehaviorKey] : null;
        }
    }

    /// <summary>Fake-only data kept beside an object (test card behaviour, checkout line items).</summary>
    internal JsonObject Internal(string id)
    {
        if (!_internals.TryGetValue(id, out var data))
        {
            data = [];
            _internals[id] = data;
        }

        return data;
    }

    internal JsonObject? FindMeterEvent(string identifier) => _meterEventsByIdentifier.GetValueOrDefault(identifier);

    internal void AddMeterEvent(MeterEventRecord record, JsonObject meterEvent)
    {
        var (identifier, eventName, customerId, value) = (record.Identifier, record.EventName, record.CustomerId, record.Value);
        _meterEventsByIdentifier[identifier] = meterEvent;
        if (!_meterEventsByName.TryGetValue(eventName, out var events))
        {
            events = [];
            _meterEventsByName[eventName] = events;
        }

        events.Add(record);
        var total = _meterTotals.GetValueOrDefault((customerId, eventName)) ?? new MeterTotal();
        total.Value += value;
        total.Count++;
        _meterTotals[(customerId, eventName)] = total;
    }

    /// <summary>The counted events of an event name, in the order they arrived.</summary>
    internal IReadOnlyList<MeterEventRecord> MeterEvents(string eventName) =>
        _meterEventsByName.TryGetValue(eventName, out var events) ? events : [];

    internal void AddMeterEventSession(MeterEventSession session) => _meterEventSessions[session.Token] = session;

    internal MeterEventSession? FindMeterEventSession(string token) => _meterEventSessions.GetValueOrDefault(token);

    internal void AddMeterEventError(MeterEventError error) => _meterEventErrors.Add(error);

    /// <summary>A deep copy of everything, for the state file (<see cref="Persistence.StateFile"/>); call under <see cref="Sync"/>.</summary>
    internal JsonObject Export() => new()
    {
        ["objects"] = new JsonArray([.. _order.Select(id => _objects[id].DeepClone())]),
        ["internals"] = new JsonObject(_internals.Select(p => KeyValuePair.Create<string, JsonNode?>(p.Key, p.Value.DeepClone()))),
        ["created_by_key"] = new JsonArray([.. _createdByKey.Select(p => (JsonNode)new JsonObject
        {
            ["object"] = p.Key.ObjectType,
            ["key"] = p.Key.Key,
            ["count"] = p.Value,
        })]),
        ["meter_events"] = new JsonArray([.. _meterEventsByName.Values.SelectMany(e => e).Select(e => (JsonNode)new JsonObject
        {
            ["identifier"] = e.Identifier,
            ["event_name"] = e.EventName,
            ["customer"] = e.CustomerId,
            ["value"] = e.Value.ToString(CultureInfo.InvariantCulture),
            ["timestamp"] = e.Timestamp,
            ["event"] = _meterEventsByIdentifier[e.Identifier].DeepClone(),
        })]),
        ["meter_event_errors"] = new JsonArray([.. _meterEventErrors.Select(e => (JsonNode)new JsonObject
        {
            ["identifier"] = e.Identifier,
            ["event_name"] = e.EventName,
            ["customer"] = e.CustomerId,
            ["code"] = e.Code,
        })]),
        ["meter_event_sessions"] = new JsonArray([.. _meterEventSessions.Values.Select(s => (JsonNode)new JsonObject
        {
            ["id"] = s.Id,
            ["token"] = s.Token,
            ["expires_at"] = s.ExpiresAt.ToUnixTimeSeconds(),
        })]),
    };

    /// <summary>Replaces everything with what <see cref="Export"/> wrote; call before the fake serves requests.</summary>
    internal void Import(JsonObject saved)
    {
        lock (Sync)
        {
            foreach (var obj in (saved["objects"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var id = (string)obj["id"]!;
                _objects[id] = (JsonObject)obj.DeepClone();
                _order.Add(id);
            }

            foreach (var (id, data) in saved["internals"] as JsonObject ?? [])
            {
                _internals[id] = (JsonObject)data!.DeepClone();
            }

            foreach (var entry in (saved["created_by_key"] as JsonArray ?? []).OfType<JsonObject>())
            {
                _createdByKey[((string)entry["object"]!, (string)entry["key"]!)] = (int)entry["count"]!;
            }

            foreach (var entry in (saved["meter_events"] as JsonArray ?? []).OfType<JsonObject>())
            {
                AddMeterEvent(
                    new MeterEventRecord(
                        (string)entry["identifier"]!,
                        (string)entry["event_name"]!,
                        (string)entry["customer"]!,
                        decimal.Parse((string)entry["value"]!, CultureInfo.InvariantCulture),
                        (long)entry["timestamp"]!),
                    (JsonObject)entry["event"]!.DeepClone());
            }

            foreach (var entry in (saved["meter_event_errors"] as JsonArray ?? []).OfType<JsonObject>())
            {
                _meterEventErrors.Add(new MeterEventError((string)entry["identifier"]!, (string)entry["event_name"]!, (string)entry["customer"]!, (string)entry["code"]!));
            }

            foreach (var entry in (saved["meter_event_sessions"] as JsonArray ?? []).OfType<JsonObject>())
            {
                AddMeterEventSession(new MeterEventSession((string)entry["id"]!, (string)entry["token"]!, DateTimeOffset.FromUnixTimeSeconds((long)entry["expires_at"]!)));
            }
        }
    }
}

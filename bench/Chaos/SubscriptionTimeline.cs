using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Platform.Bench.Chaos;

/// <summary>
/// The Stripe side of the webhook traffic, shared by both API hosts' drivers: for each chaos customer one Stripe
/// subscription whose versions 1, 2, 3… are Stripe events (<c>created</c> one second apart, the item quantity is
/// the version), signed as Stripe signs them with the webhook secret the pci silo holds. Two customers'
/// subscriptions are canceled part-way; the versions after that still come (late updates) and must not revive them.
/// Routed to their owner by the metadata our PCI grains put on Stripe objects (tenant_id, customer_id).
/// </summary>
public sealed class SubscriptionTimeline
{
    private readonly string _tenantId;
    private readonly string _runId;
    private readonly string _webhookSecret;
    private readonly long _subscriptionCreated;
    private readonly int[] _versions;
    private readonly ConcurrentQueue<StripeEventRecord> _acknowledged = new();

    public SubscriptionTimeline(string tenantId, IReadOnlyList<string> customers, string runId, string webhookSecret)
    {
        _tenantId = tenantId;
        Customers = customers;
        _runId = runId;
        _webhookSecret = webhookSecret;
        // A day ago, so that even the last version is in the past.
        _subscriptionCreated = DateTimeOffset.UtcNow.AddDays(-1).ToUnixTimeSeconds();
        _versions = new int[customers.Count];
        Observations = [.. customers.Select(_ => new ConcurrentQueue<(DateTimeOffset Start, DateTimeOffset End, SubscriptionVersion Seen)>())];
    }

    /// <summary>Customer index → the version that cancels its subscription.</summary>
    public static IReadOnlyDictionary<int, int> CancelAt { get; } = new Dictionary<int, int> { [0] = 10, [1] = 50 };

    public IReadOnlyList<string> Customers { get; }

    public ConcurrentDictionary<string, StripeEventRecord> Events { get; } = new(StringComparer.Ordinal);

    /// <summary>What GET /v1/customers/{id}/subscription showed, per customer, in time.</summary>
    public IReadOnlyList<ConcurrentQueue<(DateTimeOffset Start, DateTimeOffset End, SubscriptionVersion Seen)>> Observations { get; }

    /// <summary>The event-id prefix of this run's events (platform_webhook_events is shared with nothing else here, but be exact).</summary>
    public string EventIdPrefix => $"evt_{_runId}_";

    public StripeEventRecord Next(int customer)
    {
        var version = Interlocked.Increment(ref _versions[customer]);
        var cancelAt = CancelAt.TryGetValue(customer, out var at) ? at : int.MaxValue;
        var status = version == cancelAt ? "canceled" : version == 1 ? "trialing" : version % 4 == 3 ? "past_due" : "active";
        var type = version == 1 ? "customer.subscription.created" : status == "canceled" ? "customer.subscription.deleted" : "customer.subscription.updated";
        var created = _subscriptionCreated + version;
        var eventId = string.Create(CultureInfo.InvariantCulture, $"{EventIdPrefix}{customer}_{version:D6}");
        var customerId = Customers[customer];
        var payload = new JsonObject
        {
            ["id"] = eventId,
            ["object"] = "event",
            ["api_version"] = "2026-10-28.endive",
            ["created"] = created,
            ["livemode"] = false,
            ["pending_webhooks"] = 1,
            ["type"] = type,
            ["data"] = new JsonObject
            {
                ["object"] = new JsonObject
                {
                    ["id"] = string.Create(CultureInfo.InvariantCulture, $"sub_{_runId}{customer}"),
                    ["object"] = "subscription",
                    ["cancel_at_period_end"] = false,
                    ["canceled_at"] = status == "canceled" ? created : null,
                    ["created"] = _subscriptionCreated,
                    ["customer"] = string.Create(CultureInfo.InvariantCulture, $"cus_{_runId}{customer}"),
                    ["ended_at"] = status == "canceled" ? created : null,
                    ["items"] = new JsonObject
                    {
                        ["object"] = "list",
                        ["data"] = new JsonArray(new JsonObject
                        {
                            ["id"] = string.Create(CultureInfo.InvariantCulture, $"si_{_runId}{customer}"),
                            ["object"] = "subscription_item",
                            ["current_period_start"] = _subscriptionCreated,
                            ["current_period_end"] = _subscriptionCreated + 2_592_000,
                            ["price"] = new JsonObject { ["id"] = "price_chaos", ["object"] = "price", ["unit_amount"] = 1000, ["currency"] = "usd" },
                            ["quantity"] = version,
                        }),
                        ["has_more"] = false,
                    },
                    ["metadata"] = new JsonObject { ["tenant_id"] = _tenantId, ["customer_id"] = customerId },
                    ["status"] = status,
                    ["trial_end"] = status == "trialing" ? created + 1_209_600 : null,
                },
            },
        }.ToJsonString();
        var record = new StripeEventRecord(eventId, customer, customerId, version, status, payload);
        Events[eventId] = record;
        return record;
    }

    /// <summary>Stripe's scheme: <c>t=…,v1=hex(HMAC-SHA256(secret, "{t}.{body}"))</c>, a fresh <c>t</c> on every attempt.</summary>
    public string Sign(string payload)
    {
        var t = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var v1 = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(_webhookSecret), Encoding.UTF8.GetBytes($"{t}.{payload}")));
        return $"t={t},v1={v1}";
    }

    public void Acknowledge(StripeEventRecord record)
    {
        if (!record.Acknowledged)
        {
            record.Acknowledged = true;
            _acknowledged.Enqueue(record);
        }
    }

    /// <summary>An event acknowledged earlier, for a repeated delivery (Stripe sends some events twice); null when none yet.</summary>
    public StripeEventRecord? AnyAcknowledged()
    {
        var acknowledged = _acknowledged.ToArray();
        return acknowledged.Length == 0 ? null : acknowledged[Random.Shared.Next(acknowledged.Length)];
    }
}

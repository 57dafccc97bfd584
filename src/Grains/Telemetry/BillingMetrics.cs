using System.Diagnostics.Metrics;

namespace Platform.Grains.Telemetry;

/// <summary>
/// The silo side's business meter, <c>Platform.Billing</c>: what the billing grains did, as counters
/// an operator can alert on. One singleton per silo (registered by <c>AddPlatformGrainServices</c>);
/// grains take it in their constructor and call the method that names what happened.
/// Prometheus sees each instrument as <c>platform_billing_&lt;name&gt;_total</c> (histograms as
/// <c>…_seconds_bucket</c>). Tag values must come from small fixed sets (outcomes, Stripe event types,
/// route templates), never ids: every distinct value is a new time series.
/// </summary>
public sealed class BillingMetrics
{
    public const string MeterName = "Platform.Billing";

    private readonly Counter<long> _usageEvents;
    private readonly Counter<long> _webhookEvents;
    private readonly Counter<long> _panRejections;
    private readonly Counter<long> _rateLimitRejections;
    private readonly Counter<long> _tenantsCreated;
    private readonly Counter<long> _customersCreated;
    private readonly Counter<long> _apiKeys;
    private readonly Counter<long> _payments;
    private readonly Counter<long> _auditVerifications;

    public BillingMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _usageEvents = meter.CreateCounter<long>("platform.billing.usage_events", "{event}",
            "Usage events by outcome: accepted (newly logged), duplicate (event_id seen before), rejected (invalid).");
        _webhookEvents = meter.CreateCounter<long>("platform.billing.webhook_events", "{event}",
            "Stripe webhook events by type and outcome (applied, duplicate, ignored, stale, failed; refused deliveries as type unverified with signature_missing, signature_invalid or timestamp_out_of_tolerance).");
        _panRejections = meter.CreateCounter<long>("platform.billing.pan_rejections", "{request}",
            "Card numbers refused inside the cluster (the API refuses most before they arrive: see platform_api_pan_rejections).");
        _rateLimitRejections = meter.CreateCounter<long>("platform.billing.rate_limit_rejections", "{request}",
            "Requests the rate-limiter grains refused, by policy.");
        _tenantsCreated = meter.CreateCounter<long>("platform.billing.tenants_created", "{tenant}", "Tenants created.");
        _customersCreated = meter.CreateCounter<long>("platform.billing.customers_created", "{customer}", "Customers created.");
        _apiKeys = meter.CreateCounter<long>("platform.billing.api_keys", "{key}", "API keys issued and revoked, by action and role.");
        _payments = meter.CreateCounter<long>("platform.billing.payments", "{payment}",
            "Payments reaching a final or notable status (succeeded, failed, requires_action, refunded), by currency.");
        _auditVerifications = meter.CreateCounter<long>("platform.billing.audit_verifications", "{verification}",
            "Audit chain verifications by outcome: intact, or broken (an entry changed or missing).");
    }

    /// <summary>One ingestion (a single event or a batch): how many were new, seen before, or refused.</summary>
    public void UsageEventsRecorded(int accepted, int duplicate, int rejected = 0)
    {
        Add(_usageEvents, accepted, "outcome", "accepted");
        Add(_usageEvents, duplicate, "outcome", "duplicate");
        Add(_usageEvents, rejected, "outcome", "rejected");
    }

    /// <summary>A Stripe event handled. <paramref name="type"/> is Stripe's type, e.g. <c>invoice.paid</c>.</summary>
    public void WebhookEventHandled(string type, string outcome) =>
        _webhookEvents.Add(1, new("type", type), new("outcome", outcome));

    public void PanRejected(string source) => _panRejections.Add(1, new KeyValuePair<string, object?>("source", source));

    public void RateLimitRejected(string policy) => _rateLimitRejections.Add(1, new KeyValuePair<string, object?>("policy", policy));

    public void TenantCreated() => _tenantsCreated.Add(1);

    public void CustomerCreated() => _customersCreated.Add(1);

    public void ApiKeyIssued(string role) => _apiKeys.Add(1, new("action", "issued"), new("role", role));

    public void ApiKeyRevoked(string role) => _apiKeys.Add(1, new("action", "revoked"), new("role", role));

    /// <summary>A payment reached <paramref name="status"/>; <paramref name="currency"/> is lowercase ISO, e.g. <c>eur</c>.</summary>
    public void PaymentStatusReached(string status, string currency) =>
        _payments.Add(1, new("status", status), new("currency", currency));

    /// <summary>An audit chain was verified end to end; <paramref name="intact"/> false when it found a break.</summary>
    public void AuditChainVerified(bool intact) =>
        _auditVerifications.Add(1, new KeyValuePair<string, object?>("outcome", intact ? "intact" : "broken"));

    private static void Add(Counter<long> counter, int count, string tag, string value)
    {
        // A zero is still recorded so the series exists from the first batch on: rate() over a series
        // that appears late reads as a gap, not as zero.
        if (count >= 0)
        {
            counter.Add(count, new KeyValuePair<string, object?>(tag, value));
        }
    }
}

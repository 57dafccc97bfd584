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
    private readonly Counter<long> _stripeCalls;
    private readonly Histogram<double> _stripeCallDuration;
    private readonly Counter<long> _panRejections;
    private readonly Counter<long> _rateLimitRejections;
    private readonly Counter<long> _tenantsCreated;
    private readonly Counter<long> _customersCreated;
    private readonly Counter<long> _apiKeys;
    private readonly Counter<long> _payments;
    private readonly Counter<long> _meterEvents;
    private readonly Counter<long> _paymentLimitHits;
    private readonly Counter<long> _auditVerifications;

    public BillingMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _usageEvents = meter.CreateCounter<long>("platform.billing.usage_events", "{event}",
            "Usage events by outcome: accepted (newly logged), duplicate (event_id seen before), rejected (invalid).");
        _webhookEvents = meter.CreateCounter<long>("platform.billing.webhook_events", "{event}",
            "Stripe webhook events by type and outcome (applied, duplicate, ignored, stale, failed; refused deliveries as type unverified with signature_missing, signature_invalid or timestamp_out_of_tolerance).");
        _stripeCalls = meter.CreateCounter<long>("platform.billing.stripe_calls", "{call}",
            "Calls to the Stripe API by endpoint (method and path template) and HTTP status (0: no response).");
        _stripeCallDuration = meter.CreateHistogram<double>("platform.billing.stripe_call_duration", "s",
            "Latency of calls to the Stripe API by endpoint.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        _panRejections = meter.CreateCounter<long>("platform.billing.pan_rejections", "{request}",
            "Card numbers refused inside the cluster (the API refuses most before they arrive: see platform_api_pan_rejections).");
        _rateLimitRejections = meter.CreateCounter<long>("platform.billing.rate_limit_rejections", "{request}",
            "Requests the rate-limiter grains refused, by policy.");
        _tenantsCreated = meter.CreateCounter<long>("platform.billing.tenants_created", "{tenant}", "Tenants created.");
        _customersCreated = meter.CreateCounter<long>("platform.billing.customers_created", "{customer}", "Customers created.");
        _apiKeys = meter.CreateCounter<long>("platform.billing.api_keys", "{key}", "API keys issued and revoked, by action and role.");
        _payments = meter.CreateCounter<long>("platform.billing.payments", "{payment}",
            "Payments reaching a final or notable status (succeeded, failed, requires_action, refunded), by currency.");
        _paymentLimitHits = meter.CreateCounter<long>("platform.billing.payment_limit_hits", "{payment}",
            "Payments refused by a tenant's fraud limits before Stripe was asked, by limit (amount_per_payment, hourly_count, hourly_amount, daily_count, daily_amount) and currency.");
        _meterEvents = meter.CreateCounter<long>("platform.billing.meter_events", "{event}",
            "Usage events forwarded to Stripe meters by outcome: sent, or dead_lettered with a reason (customer_missing, meter_not_configured, Stripe's refusal code).");
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

    /// <summary>
    /// A call to Stripe finished. <paramref name="endpoint"/> is a template such as
    /// <c>POST /v1/payment_intents/{id}/confirm</c>; <paramref name="status"/> is 0 when no response came.
    /// </summary>
    public void StripeCallCompleted(string endpoint, int status, TimeSpan duration)
    {
        var statusTag = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _stripeCalls.Add(1, new("endpoint", endpoint), new("status", statusTag));
        _stripeCallDuration.Record(duration.TotalSeconds, new("endpoint", endpoint), new("status", statusTag));
    }

    public void PanRejected(string source) => _panRejections.Add(1, new KeyValuePair<string, object?>("source", source));

    public void RateLimitRejected(string policy) => _rateLimitRejections.Add(1, new KeyValuePair<string, object?>("policy", policy));

    public void TenantCreated() => _tenantsCreated.Add(1);

    public void CustomerCreated() => _customersCreated.Add(1);

    public void ApiKeyIssued(string role) => _apiKeys.Add(1, new("action", "issued"), new("role", role));

    public void ApiKeyRevoked(string role) => _apiKeys.Add(1, new("action", "revoked"), new("role", role));

    /// <summary>A payment reached <paramref name="status"/>; <paramref name="currency"/> is lowercase ISO, e.g. <c>eur</c>.</summary>
    public void PaymentStatusReached(string status, string currency) =>
        _payments.Add(1, new("status", status), new("currency", currency));

    /// <summary>A payment refused by a fraud limit; <paramref name="limit"/> names it, <paramref name="currency"/> is lowercase ISO.</summary>
    public void PaymentLimitHit(string limit, string currency) =>
        _paymentLimitHits.Add(1, new("limit", limit), new("currency", currency));

    /// <summary>Events Stripe accepted (or already had) in one forwarding call.</summary>
    public void MeterEventsSent(int count) => Add(_meterEvents, count, "outcome", "sent");

    /// <summary>An event given up on for good; <paramref name="reason"/> is a stable code from a small set.</summary>
    public void MeterEventDeadLettered(string reason) =>
        _meterEvents.Add(1, new("outcome", "dead_lettered"), new("reason", reason));

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

using System.Diagnostics.Metrics;

namespace Platform.Grains.Pci.Telemetry;

/// <summary>
/// What the PCI grains count, on the same meter as the core side's BillingMetrics (<c>Platform.Billing</c>),
/// so Prometheus sees the same series as before the PCI side became its own assembly. Only instruments the
/// PCI side records live here; <c>webhook_events</c> is recorded by both sides (refusals here, outcomes on
/// core) under one identity, which the meter and the exporter treat as one instrument.
/// </summary>
public sealed class PciMetrics
{
    public const string MeterName = "Platform.Billing";

    /// <summary>The webhook_events instrument's identity, equal on both sides (a unit test holds them together).</summary>
    public const string WebhookEventsName = "platform.billing.webhook_events";
    public const string WebhookEventsDescription =
        "Stripe webhook events by type and outcome (applied, duplicate, ignored, stale, failed; refused deliveries as type unverified with signature_missing, signature_invalid or timestamp_out_of_tolerance).";

    private readonly Counter<long> _webhookEvents;
    private readonly Counter<long> _stripeCalls;
    private readonly Histogram<double> _stripeCallDuration;
    private readonly Counter<long> _meterEvents;
    private readonly Counter<long> _paymentLimitHits;

    public PciMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _webhookEvents = meter.CreateCounter<long>(WebhookEventsName, "{event}", WebhookEventsDescription);
        _stripeCalls = meter.CreateCounter<long>("platform.billing.stripe_calls", "{call}",
            "Calls to the Stripe API by endpoint (method and path template) and HTTP status (0: no response).");
        _stripeCallDuration = meter.CreateHistogram<double>("platform.billing.stripe_call_duration", "s",
            "Latency of calls to the Stripe API by endpoint.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        _paymentLimitHits = meter.CreateCounter<long>("platform.billing.payment_limit_hits", "{payment}",
            "Payments refused by a tenant's fraud limits before Stripe was asked, by limit (amount_per_payment, hourly_count, hourly_amount, daily_count, daily_amount) and currency.");
        _meterEvents = meter.CreateCounter<long>("platform.billing.meter_events", "{event}",
            "Usage events forwarded to Stripe meters by outcome: sent, or dead_lettered with a reason (customer_missing, meter_not_configured, Stripe's refusal code).");
    }

    /// <summary>A Stripe delivery refused or unreadable: <paramref name="type"/> is <c>unverified</c> or <c>unknown</c>.</summary>
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

    /// <summary>A payment refused by a fraud limit; <paramref name="limit"/> names it, <paramref name="currency"/> is lowercase ISO.</summary>
    public void PaymentLimitHit(string limit, string currency) =>
        _paymentLimitHits.Add(1, new("limit", limit), new("currency", currency));

    /// <summary>Events Stripe accepted (or already had) in one forwarding call; a zero is recorded too, so the series exists.</summary>
    public void MeterEventsSent(int count)
    {
        if (count >= 0)
        {
            _meterEvents.Add(count, new KeyValuePair<string, object?>("outcome", "sent"));
        }
    }

    /// <summary>An event given up on for good; <paramref name="reason"/> is a stable code from a small set.</summary>
    public void MeterEventDeadLettered(string reason) =>
        _meterEvents.Add(1, new("outcome", "dead_lettered"), new("reason", reason));
}

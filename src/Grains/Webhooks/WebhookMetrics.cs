using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Platform.Grains.Webhooks;

/// <summary>
/// The outgoing webhooks meter, <c>Platform.Webhooks</c>: attempts and final outcomes, attempt latency,
/// and the queue depth held by the endpoint activations of this silo. Tags are small fixed sets
/// (outcomes), never ids.
/// </summary>
public sealed class WebhookMetrics
{
    public const string MeterName = "Platform.Webhooks";

    private readonly Counter<long> _attempts;
    private readonly Counter<long> _deliveries;
    private readonly Histogram<double> _latency;
    private readonly Counter<long> _endpointsDisabled;
    private readonly ConcurrentDictionary<string, int> _queueDepths = new(StringComparer.Ordinal);

    public WebhookMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _attempts = meter.CreateCounter<long>("platform.webhooks.attempts", "{attempt}",
            "Delivery attempts by outcome: succeeded, http_status, timeout, connection_failed, address_refused.");
        _deliveries = meter.CreateCounter<long>("platform.webhooks.deliveries", "{delivery}",
            "Deliveries reaching a final outcome: succeeded, or failed after the last attempt.");
        _latency = meter.CreateHistogram<double>("platform.webhooks.attempt_duration", "s",
            "Latency of delivery attempts, by outcome.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
        _endpointsDisabled = meter.CreateCounter<long>("platform.webhooks.endpoints_disabled", "{endpoint}",
            "Endpoints disabled after failing continuously.");
        meter.CreateObservableGauge("platform.webhooks.queue_depth", () => _queueDepths.Values.Sum(), "{delivery}",
            "Pending deliveries of the endpoints active on this silo.");
    }

    public void AttemptCompleted(WebhookSendResult result)
    {
        var outcome = new KeyValuePair<string, object?>("outcome", result.Succeeded ? "succeeded" : result.Error ?? "failed");
        _attempts.Add(1, outcome);
        _latency.Record(result.Latency.TotalSeconds, outcome);
    }

    public void DeliveryFinished(bool succeeded) =>
        _deliveries.Add(1, new KeyValuePair<string, object?>("outcome", succeeded ? "succeeded" : "failed"));

    public void EndpointDisabled() => _endpointsDisabled.Add(1);

    /// <summary>An endpoint activation's pending count; <c>null</c> when it deactivates.</summary>
    public void QueueDepth(string endpointKey, int? pending)
    {
        if (pending is { } count)
        {
            _queueDepths[endpointKey] = count;
        }
        else
        {
            _queueDepths.TryRemove(endpointKey, out _);
        }
    }
}

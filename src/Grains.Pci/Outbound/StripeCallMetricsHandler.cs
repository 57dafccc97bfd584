using System.Diagnostics;
using Platform.Grains.Pci.Telemetry;

namespace Platform.Grains.Pci.Outbound;

/// <summary>
/// Counts every attempt at the Stripe API (retries included, hence innermost, beside the budget) by
/// endpoint and status, with its latency: <c>platform_billing_stripe_calls_total</c> and
/// <c>…_stripe_call_duration_seconds</c>. The endpoint is the path with Stripe ids replaced by
/// <c>{id}</c>, so the label set stays small. Nothing of the request or response body is read.
/// </summary>
public sealed class StripeCallMetricsHandler(PciMetrics metrics) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var endpoint = Endpoint(request);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            metrics.StripeCallCompleted(endpoint, (int)response.StatusCode, Stopwatch.GetElapsedTime(started));
            return response;
        }
        catch (Exception)
        {
            metrics.StripeCallCompleted(endpoint, 0, Stopwatch.GetElapsedTime(started));
            throw;
        }
    }

    /// <summary><c>POST /v1/payment_intents/pi_123/confirm</c> → <c>POST /v1/payment_intents/{id}/confirm</c>.</summary>
    public static string Endpoint(HttpRequestMessage request)
    {
        var segments = (request.RequestUri?.AbsolutePath ?? "/").Split('/')
            .Select(s => s.Contains('_', StringComparison.Ordinal) && s.Any(c => char.IsAsciiDigit(c) || char.IsAsciiLetterUpper(c)) ? "{id}" : s);
        return request.Method.Method + " " + string.Join('/', segments);
    }
}

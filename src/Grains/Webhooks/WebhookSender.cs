using System.Text;
using Microsoft.Extensions.Options;

namespace Platform.Grains.Webhooks;

/// <summary>
/// Makes one delivery attempt: a POST with the signature, delivery id and event id headers, bounded by
/// Webhooks:DeliveryTimeout. Never throws for the receiver's faults; the result says what happened. The
/// named client (see WebhookServiceCollectionExtensions) connects through the SSRF guard and follows no
/// redirects (a 3xx is a failure, as at Stripe: a redirect could lead anywhere).
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients, IOptions<WebhookOptions> options, TimeProvider clock)
{
    public const string ClientName = "platform.webhooks";
    public const string DeliveryIdHeader = "Platform-Delivery-Id";
    public const string EventIdHeader = "Platform-Event-Id";
    public const string AttemptHeader = "Platform-Delivery-Attempt";

    public async Task<WebhookSendResult> SendAsync(
        Uri url, string body, string signature, string deliveryId, string eventId, int attempt, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(WebhookSignature.HeaderName, signature);
        request.Headers.Add(DeliveryIdHeader, deliveryId);
        request.Headers.Add(EventIdHeader, eventId);
        request.Headers.Add(AttemptHeader, attempt.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.DeliveryTimeout);
        var started = clock.GetTimestamp();
        try
        {
            // Headers only: the receiver's body is not ours to read or keep.
            using var response = await clients.CreateClient(ClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            return new WebhookSendResult(status, clock.GetElapsedTime(started), status is >= 200 and < 300 ? null : "http_status");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookSendResult(null, clock.GetElapsedTime(started), "timeout");
        }
        catch (HttpRequestException e) when (e.InnerException is WebhookAddressRefusedException)
        {
            return new WebhookSendResult(null, clock.GetElapsedTime(started), "address_refused");
        }
        catch (HttpRequestException)
        {
            return new WebhookSendResult(null, clock.GetElapsedTime(started), "connection_failed");
        }
    }
}

using System.Text;

namespace Platform.StripeFake.Webhooks;

/// <summary>Delivers queued events, signed, to the webhook URL, with a few quick retries on failure.</summary>
internal sealed class WebhookDispatcher(
    WebhookOutbox outbox,
    StripeFakeOptions options,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var eventId in outbox.Queue.ReadAllAsync(stoppingToken))
            {
                await DeliverAsync(eventId, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: undelivered events stay readable in the outbox.
        }
    }

    private async Task DeliverAsync(string eventId, CancellationToken cancellationToken)
    {
        var url = outbox.Url;
        var payload = outbox.Payload(eventId);
        if (url is null || payload is null)
        {
            return;
        }

        var type = System.Text.Json.Nodes.JsonNode.Parse(payload)?["type"]?.GetValue<string>() ?? "unknown";
        var delay = options.WebhookRetryDelay;
        for (var attempt = 1; attempt <= Math.Max(1, options.WebhookMaxAttempts); attempt++)
        {
            int? status = null;
            string? error = null;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url)
                {
                    Content = new StringContent(payload, Encoding.UTF8, "application/json"),
                };
                request.Headers.TryAddWithoutValidation("Stripe-Signature", outbox.Sign(payload));
                request.Headers.TryAddWithoutValidation("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)");
                using var response = await _http.SendAsync(request, cancellationToken);
                status = (int)response.StatusCode;
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException
                && !cancellationToken.IsCancellationRequested)
            {
                error = exception.Message;
            }

            var delivery = new WebhookDelivery(eventId, type, attempt, status, error, options.TimeProvider.GetUtcNow());
            outbox.Record(delivery);
            if (delivery.Succeeded)
            {
                return;
            }

            logger.LogDebug("Webhook {EventId} attempt {Attempt} failed: {Status} {Error}", eventId, attempt, status, error);
            if (attempt < options.WebhookMaxAttempts)
            {
                await Task.Delay(delay, cancellationToken);
                delay *= 2;
            }
        }
    }
}

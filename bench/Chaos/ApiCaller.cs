using System.Net.Http.Json;
using System.Text.Json;

namespace Platform.Bench.Chaos;

/// <summary>HTTP calls to one API host that record their outcome; never throw for a failed request.</summary>
public sealed class ApiCaller(string host, Uri baseAddress, string secret, OutcomeLog log) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };

    public string Host { get; } = host;

    public async Task<(Outcome Outcome, JsonElement? Body)> SendAsync(string kind, HttpMethod method, string path, object? body,
        string? idempotencyKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new("Bearer", secret);
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        return await SendAsync(kind, request, cancellationToken);
    }

    /// <summary>A Stripe webhook delivery: the raw body and its Stripe-Signature header, no credential (as Stripe sends it).</summary>
    public async Task<(Outcome Outcome, JsonElement? Body)> DeliverStripeEventAsync(string kind, string path, string payload, string signature,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(payload, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Stripe-Signature", signature);
        return await SendAsync(kind, request, cancellationToken);
    }

    private async Task<(Outcome Outcome, JsonElement? Body)> SendAsync(string kind, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var phase = log.Phase;
        var start = DateTimeOffset.UtcNow;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ChaosSettings.RequestTimeout);
        Outcome outcome;
        JsonElement? parsed = null;
        try
        {
            using var response = await _http.SendAsync(request, timeout.Token);
            var text = await response.Content.ReadAsStringAsync(timeout.Token);
            if (text.Length > 0 && text[0] == '{')
            {
                parsed = JsonDocument.Parse(text).RootElement.Clone();
            }
            outcome = new Outcome(kind, Host, phase, start, DateTimeOffset.UtcNow, (int)response.StatusCode, response.Headers.RetryAfter is not null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            outcome = new Outcome(kind, Host, phase, start, DateTimeOffset.UtcNow, Outcome.Timeout, false);
        }
        catch (HttpRequestException)
        {
            outcome = new Outcome(kind, Host, phase, start, DateTimeOffset.UtcNow, Outcome.ConnectionError, false);
        }
        log.Add(outcome);
        return (outcome, parsed);
    }

    public void Dispose() => _http.Dispose();
}

using System.Text.Json;

namespace Platform.Bench.Chaos;

/// <summary>
/// A client's retry policy: the same request (same body, same Idempotency-Key) again after a 5xx, a 429,
/// a timeout or a broken connection, with backoff, until an answer that is final or the deadline.
/// </summary>
public static class Retrying
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    public static Task<(Outcome Outcome, JsonElement? Body)> SendAsync(ApiCaller api, string kind, HttpMethod method, string path,
        object? body, string? idempotencyKey, CancellationToken cancellationToken) =>
        SendAsync(() => api.SendAsync(kind, method, path, body, idempotencyKey, cancellationToken), cancellationToken);

    /// <summary>Each attempt built afresh by <paramref name="attempt"/> (a webhook delivery is signed anew each time, as Stripe does).</summary>
    public static async Task<(Outcome Outcome, JsonElement? Body)> SendAsync(Func<Task<(Outcome Outcome, JsonElement? Body)>> attempt,
        CancellationToken cancellationToken)
    {
        var giveUp = DateTimeOffset.UtcNow + Deadline;
        var delay = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            var result = await attempt();
            var status = result.Outcome.Status;
            var retryable = status is Outcome.Timeout or Outcome.ConnectionError or 429 or >= 500;
            if (!retryable || DateTimeOffset.UtcNow + delay > giveUp || cancellationToken.IsCancellationRequested)
            {
                return result;
            }
            await Task.Delay(delay, CancellationToken.None);
            delay = TimeSpan.FromMilliseconds(Math.Min(2000, delay.TotalMilliseconds * 2));
        }
    }
}

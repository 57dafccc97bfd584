namespace Platform.Grains.Webhooks;

/// <summary>
/// When to try again: exponential backoff with full jitter (the wait is uniform between zero and the
/// exponential ceiling), as in AWS's "Exponential Backoff and Jitter". Full jitter rather than a fixed
/// schedule so that thousands of deliveries failed by one outage do not all retry at the same second.
/// </summary>
public static class RetrySchedule
{
    /// <summary>The ceiling of the wait after <paramref name="failedAttempts"/> failures (1 = after the first).</summary>
    public static TimeSpan Ceiling(WebhookOptions options, int failedAttempts)
    {
        var exponent = Math.Clamp(failedAttempts, 1, 30);
        var ticks = options.RetryBaseDelay.Ticks * Math.Pow(2, exponent);
        return ticks >= options.RetryMaxDelay.Ticks ? options.RetryMaxDelay : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>The wait before the next attempt; <paramref name="unitRandom"/> is uniform in [0, 1).</summary>
    public static TimeSpan Delay(WebhookOptions options, int failedAttempts, double unitRandom) =>
        TimeSpan.FromTicks((long)(Ceiling(options, failedAttempts).Ticks * unitRandom));

    /// <summary>Whether an endpoint failing since <paramref name="failingSince"/> has failed long enough to be disabled.</summary>
    public static bool ShouldDisable(WebhookOptions options, DateTimeOffset? failingSince, DateTimeOffset now) =>
        failingSince is { } since && now - since >= options.DisableAfter;
}

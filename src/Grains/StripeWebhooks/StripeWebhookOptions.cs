namespace Platform.Grains.StripeWebhooks;

/// <summary>The <c>StripeWebhooks</c> section: how received Stripe events are retried and kept (not secrets: those are Stripe:*).</summary>
public sealed class StripeWebhookOptions
{
    public const string SectionName = "StripeWebhooks";

    /// <summary>How long a received event is kept, so a repeat delivery is still recognised. Stripe retries for three days.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(35);

    /// <summary>Delay before the first retry of an event whose target failed; doubled per attempt up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Attempts (the first included) before an event is marked failed; an operator can still replay it.</summary>
    public int MaxAttempts { get; set; } = 12;

    /// <summary>The sweeper's reminder period (Orleans reminders fire at most once a minute).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Rows retried or purged per batch; a sweep runs a few batches and leaves the rest to the next.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>
    /// Events of this silo applied at once in the background, after their delivery was acknowledged (each is
    /// one call to its owner grain and, usually, that grain's state write).
    /// </summary>
    public int ApplyConcurrency { get; set; } = 32;

    /// <summary>
    /// Acknowledged events waiting for a background apply on this silo. When it is full a delivery's
    /// acknowledgement waits for room, so a sustained flood slows Stripe down instead of growing memory.
    /// </summary>
    public int ApplyQueueCapacity { get; set; } = 10_000;

    public TimeSpan RetryDelay(int attempts)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 20);
        var delay = TimeSpan.FromTicks(RetryBaseDelay.Ticks * (1L << exponent));
        return delay > MaxRetryDelay || delay < TimeSpan.Zero ? MaxRetryDelay : delay;
    }
}

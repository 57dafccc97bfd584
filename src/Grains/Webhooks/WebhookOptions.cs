namespace Platform.Grains.Webhooks;

/// <summary>The <c>Webhooks</c> configuration section (environment <c>Webhooks__…</c>), read by every silo.</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Webhooks";

    /// <summary>Attempts per delivery, the first included.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>
    /// Exponential backoff with full jitter: the wait before attempt n+1 is uniform in
    /// [0, min(<see cref="RetryMaxDelay"/>, base·2ⁿ)]. With the defaults the ceilings are 1 h, 2 h, 4 h
    /// and 8 h: the last attempt comes hours after the first, and retries of many endpoints that failed
    /// together (a receiver outage) spread out instead of arriving as one wave.
    /// </summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMinutes(30);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(12);

    /// <summary>One POST, connection included.</summary>
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>An endpoint whose deliveries all failed for this long is disabled (audit entry and event).</summary>
    public TimeSpan DisableAfter { get; set; } = TimeSpan.FromDays(3);

    /// <summary>
    /// Period of the reminder an endpoint holds while it has pending deliveries. Timers deliver on time
    /// while the grain is active; the reminder brings the queue back after a silo restart or deactivation,
    /// at most this late. Orleans refuses periods below ReminderOptions.MinimumReminderPeriod (1 minute).
    /// </summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long events are kept and listed (and their deliveries with them).</summary>
    public TimeSpan EventRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Endpoints per tenant (Stripe allows 16 per account).</summary>
    public int MaxEndpointsPerTenant { get; set; } = 16;

    /// <summary>Only https URLs. Unset: required everywhere except the Development environment.</summary>
    public bool? RequireHttps { get; set; }

    /// <summary>
    /// Allows URLs that resolve to loopback, link-local, private, CGNAT, ULA or other non-public
    /// addresses. Never in production (SSRF: a tenant could make our silos call the cloud metadata
    /// service or internal systems); tests and local development set it.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }
}

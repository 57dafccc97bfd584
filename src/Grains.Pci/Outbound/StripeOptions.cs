namespace Platform.Grains.Pci.Outbound;

/// <summary>
/// The <c>Stripe</c> configuration section: configuration of pci silos only. <see cref="SecretKey"/> is a
/// secret: never logged (see <see cref="ToString"/>), supplied by the environment (a Kubernetes Secret
/// mounted only into the pci pool, or run.sh's generated key for the local fake).
/// </summary>
public sealed class StripeOptions
{
    public const string SectionName = Interfaces.Pci.PciConfiguration.StripeSection;

    /// <summary>The secret API key, <c>sk_…</c> or a restricted <c>rk_…</c>. Required on pci silos.</summary>
    public string? SecretKey { get; set; }

    /// <summary>
    /// The signing secret of Stripe's webhook endpoint, <c>whsec_…</c>. A secret like <see cref="SecretKey"/>;
    /// required on pci silos (start-up fails without it), which verify Stripe's webhook signatures.
    /// </summary>
    public string? WebhookSecret { get; set; }

    /// <summary>The publishable key, <c>pk_…</c>, handed to Stripe.js. Public, but configured beside the secret.</summary>
    public string? PublishableKey { get; set; }

    /// <summary>
    /// Secrets still accepted after a rotation (Stripe signs with both while a rolled secret expires);
    /// remove them once Stripe no longer uses them.
    /// </summary>
    public List<string> PreviousWebhookSecrets { get; set; } = [];

    /// <summary>How far a delivery's signed timestamp may be from now, in seconds (Stripe's libraries use 300).</summary>
    public int WebhookTolerance { get; set; } = 300;

    /// <summary>Stripe's API address; the local fake's address in development and tests.</summary>
    public string ApiBase { get; set; } = DefaultApiBase;

    public const string DefaultApiBase = "https://api.stripe.com";

    public const string DefaultMeterEventsBase = "https://meter-events.stripe.com";

    /// <summary>
    /// Where the v2 meter event stream is sent (Stripe: <c>https://meter-events.stripe.com</c>). Unset: Stripe's
    /// when <see cref="ApiBase"/> is Stripe's, else <see cref="ApiBase"/> (the local fake serves both).
    /// </summary>
    public string? MeterEventsBase { get; set; }

    /// <summary>The meter events address in effect (see <see cref="MeterEventsBase"/>).</summary>
    public string EffectiveMeterEventsBase => MeterEventsBase is { Length: > 0 } configured ? configured
        : ApiBase.TrimEnd('/') == DefaultApiBase ? DefaultMeterEventsBase : ApiBase;

    /// <summary>
    /// Outbound budget of this silo, in requests per second (every attempt counts, retries included).
    /// Stripe allows about 100 requests/s in live mode and 25/s per endpoint; with up to three pci silos
    /// the default stays under both.
    /// </summary>
    public int RequestsPerSecond { get; set; } = 25;

    /// <summary>One HTTP attempt; a slower answer is abandoned and retried with the same idempotency key.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>One Stripe request including its retries.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// One grain operation, which may make several Stripe requests; below Orleans' 30 s response timeout,
    /// so the caller hears our answer rather than a timeout.
    /// </summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>Retries after the first attempt, on network errors, timeouts, 408, 429 and 5xx.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>First retry delay; exponential with jitter after that.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>An unfinished payment read after this long is synced from Stripe first.</summary>
    public TimeSpan SyncAfter { get; set; } = TimeSpan.FromSeconds(5);

    public override string ToString() =>
        $"StripeOptions {{ ApiBase = {ApiBase}, SecretKey = {(string.IsNullOrEmpty(SecretKey) ? "(none)" : "***")}, WebhookSecret = {(string.IsNullOrEmpty(WebhookSecret) ? "(none)" : "***")}, RequestsPerSecond = {RequestsPerSecond} }}";
}

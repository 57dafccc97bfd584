using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Pci;
using Platform.Grains.Interfaces.RateLimiting;
using Platform.Grains.Interfaces.StripeWebhooks;
using Platform.Grains.Pci.Outbound;
using Platform.Grains.Pci.Telemetry;

namespace Platform.Grains.Pci.Webhooks;

/// <summary>
/// Stripe's deliveries arrive here, untouched, from the API. PCI because it holds the webhook secret; a
/// reentrant stateless worker because each delivery is independent and Stripe sends bursts. It only
/// verifies the signature and reduces the event to what other grains may see (no card data), then hands
/// that to the core side's inbound events grain (<see cref="IStripeWebhookEventsGrain.RecordAsync"/>), which
/// records it once on a core silo before answering and routes it there. A refusal records nothing but a
/// counter (the API audits refusals once per client address and window).
/// </summary>
[Pci, StatelessWorker, Reentrant]
public sealed class StripeWebhookGrain(
    IOptions<StripeOptions> stripe,
    PciMetrics metrics,
    TimeProvider clock,
    ILogger<StripeWebhookGrain> logger) : Grain, IStripeWebhookGrain
{
    private const string SignatureHeader = "Stripe-Signature";

    public Task<StripeWebhookReceipt> ReceiveAsync(string payload, string? signatureHeader) => ReceiveAsync(payload, signatureHeader, budget: null);

    public async Task<StripeWebhookReceipt> ReceiveAsync(string payload, string? signatureHeader, RateLimitRequest? budget)
    {
        var options = stripe.Value;
        // A delivery that carries no signature at all is refused as such, whatever this silo's configuration.
        if (StripeWebhookSignature.Malformed(signatureHeader) is { } unsigned)
        {
            await RefuseAsync(unsigned);
            throw Refusal(unsigned, options);
        }
        if (string.IsNullOrEmpty(options.WebhookSecret))
        {
            logger.LogError("A Stripe webhook arrived but Stripe:WebhookSecret is not configured on this pci silo; refused with 503");
            throw new PlatformException(PlatformErrorKind.Unavailable, "webhook_secret_missing",
                "This platform cannot verify Stripe webhooks yet (no webhook secret configured); Stripe will retry.");
        }
        var secrets = new List<string>(1 + options.PreviousWebhookSecrets.Count) { options.WebhookSecret };
        secrets.AddRange(options.PreviousWebhookSecrets.Where(s => s.Length > 0));
        if (StripeWebhookSignature.Check(payload, signatureHeader, secrets, options.WebhookTolerance, clock.GetUtcNow().ToUnixTimeSeconds()) is { } refusal)
        {
            await RefuseAsync(refusal);
            throw Refusal(refusal, options);
        }
        // Signed by Stripe: only now may the delivery spend the platform-wide budget.
        if (await RateLimitRequest.AcquireAsync(GrainFactory, budget) is { Allowed: false } spent)
        {
            metrics.WebhookEventHandled("verified", "rate_limited");
            throw new PlatformException(PlatformErrorKind.TooManyRequests, "rate_limited",
                "Too many Stripe events for the platform-wide webhook limit; Stripe retries.")
            {
                RetryAfterSeconds = (int)Math.Ceiling(Math.Max(1, (spent.ResetAt - clock.GetUtcNow()).TotalSeconds)),
            };
        }

        StripeEventData stripeEvent;
        try
        {
            stripeEvent = StripeEventReader.Read(payload);
        }
        catch (FormatException malformed)
        {
            // Signed by Stripe, yet not an event we can record: refuse, so it shows as failing in Stripe's dashboard.
            metrics.WebhookEventHandled("unknown", "malformed");
            throw new PlatformException(PlatformErrorKind.InvalidRequest, "event_invalid", malformed.Message);
        }
        return await GrainFactory.GetGrain<IStripeWebhookEventsGrain>(0).RecordAsync(stripeEvent);
    }

    private static PlatformException Refusal(string code, StripeOptions options) =>
        new(PlatformErrorKind.InvalidRequest, code, code switch
        {
            StripeWebhookSignature.Missing => "The Stripe-Signature header is missing or carries no v1 signature.",
            StripeWebhookSignature.OutOfTolerance => $"The signed timestamp is more than {options.WebhookTolerance} s from now.",
            _ => "No signature in the Stripe-Signature header matches this body with the endpoint's secret.",
        }, SignatureHeader);

    /// <summary>
    /// Counted here; logged and audited by the API once per client address and window (a flood of unsigned
    /// posts must not write a log line or an audit row each).
    /// </summary>
    private Task RefuseAsync(string code)
    {
        metrics.WebhookEventHandled("unverified", code);
        logger.LogDebug("Refused a Stripe webhook delivery: {Code}", code);
        return Task.CompletedTask;
    }
}

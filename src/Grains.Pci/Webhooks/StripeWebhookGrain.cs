using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Platform.Grains.Interfaces.Audit;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.StripeWebhooks;
using Platform.Grains.Pci.Outbound;
using Platform.Grains.Pci.Telemetry;
using Platform.Grains.Interfaces.Pci;

namespace Platform.Grains.Pci.Webhooks;

/// <summary>
/// Stripe's deliveries arrive here, untouched, from the API. PCI because it holds the webhook secret; a
/// reentrant stateless worker because each delivery is independent and Stripe sends bursts. It only
/// verifies the signature and reduces the event to what other grains may see (no card data), then hands
/// that to the core side's inbound events grain (<see cref="IStripeWebhookEventsGrain.RecordAsync"/>), which
/// records it once on a core silo before answering and routes it there. A refusal records nothing but a
/// counter and one audit entry.
/// </summary>
[Pci, StatelessWorker, Reentrant]
public sealed class StripeWebhookGrain(
    IOptions<StripeOptions> stripe,
    PciMetrics metrics,
    TimeProvider clock,
    ILogger<StripeWebhookGrain> logger) : Grain, IStripeWebhookGrain
{
    private const string SignatureHeader = "Stripe-Signature";

    public async Task<StripeWebhookReceipt> ReceiveAsync(string payload, string? signatureHeader)
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

    private async Task RefuseAsync(string code)
    {
        metrics.WebhookEventHandled("unverified", code);
        logger.LogWarning("Refused a Stripe webhook delivery: {Code}", code);
        await GrainFactory.GetGrain<IAuditLogGrain>(IAuditLogGrain.PlatformChain).AppendAsync(new AuditDraft(
            AuditActions.StripeWebhookRefused, "stripe_webhook", new Dictionary<string, string> { ["code"] = code }));
    }
}

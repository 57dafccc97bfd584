namespace Platform.Grains.Interfaces.StripeWebhooks;

/// <summary>
/// Receives Stripe's webhook deliveries. PCI and a stateless worker: it holds the webhook secret, so it
/// runs only on pci silos, as many activations as the load needs. The API hands it the raw body and the
/// <c>Stripe-Signature</c> header untouched; a refusal is a <see cref="Common.PlatformException"/> with
/// code <c>signature_missing</c>, <c>signature_invalid</c> or <c>timestamp_out_of_tolerance</c>.
/// </summary>
[Alias("platform.stripe_webhook")]
public interface IStripeWebhookGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Verifies and records (durably, once per event id) one delivery, then answers; the event is applied
    /// by its owner grain right after, in the background (a new event's receipt is therefore <c>Pending</c>).
    /// </summary>
    [Alias("receive")]
    Task<StripeWebhookReceipt> ReceiveAsync(string payload, string? signatureHeader);

    /// <summary>
    /// As <see cref="ReceiveAsync(string, string?)"/>, spending one permit of the platform-wide webhook
    /// <paramref name="budget"/> only once the signature is verified, so posts nobody signed never spend what
    /// Stripe's genuine events need. Past the budget the refusal is <c>rate_limited</c> (TooManyRequests, with
    /// the seconds to wait); nothing is recorded.
    /// </summary>
    [Alias("receive_within_budget")]
    Task<StripeWebhookReceipt> ReceiveAsync(string payload, string? signatureHeader, RateLimiting.RateLimitRequest? budget);
}

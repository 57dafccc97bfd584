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
}

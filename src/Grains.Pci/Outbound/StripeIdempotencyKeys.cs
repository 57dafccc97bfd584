using Platform.Grains.Interfaces.Common;

namespace Platform.Grains.Pci.Outbound;

/// <summary>
/// Idempotency keys for mutating Stripe calls, derived from our own request (ids, the client's
/// Idempotency-Key, a state version), so a retry after a timeout, a crash or a re-sent API request
/// reuses the key and Stripe answers with the first result instead of acting twice.
/// </summary>
public static class StripeIdempotencyKeys
{
    private const string Prefix = "platform-";

    public static string For(string operation, params string[] parts) =>
        Prefix + operation + "-" + DraftFingerprint.Of([operation, .. parts]);
}

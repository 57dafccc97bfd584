using System.Globalization;
using Stripe;

namespace Platform.Grains.Pci.Webhooks;

/// <summary>
/// Checks a <c>Stripe-Signature</c> header (<c>t=…,v1=…[,v1=…]</c>) with Stripe.net's
/// <see cref="EventUtility.ValidateSignature(string, string, string, long, long)"/>: HMAC-SHA256 of
/// <c>"t.payload"</c>, compared in constant time against every <c>v1</c>, then the timestamp tolerance.
/// Each configured secret is tried (the current one first), so a rotation never drops deliveries.
/// </summary>
public static class StripeWebhookSignature
{
    public const string Missing = "signature_missing";
    public const string Invalid = "signature_invalid";
    public const string OutOfTolerance = "timestamp_out_of_tolerance";

    /// <summary>The refusal code of a header that cannot be a signature at all (checked before any secret is needed).</summary>
    public static string? Malformed(string? header)
    {
        if (string.IsNullOrWhiteSpace(header) || !header.Contains("v1=", StringComparison.Ordinal))
        {
            return Missing;
        }
        // Stripe.net would throw a FormatException on a malformed t.
        return Timestamp(header) is null ? Invalid : null;
    }

    /// <summary>Null when the header signs the payload with one of the secrets within the tolerance; else the refusal code.</summary>
    public static string? Check(string payload, string? header, IReadOnlyList<string> secrets, long tolerance, long now)
    {
        if (Malformed(header) is { } malformed)
        {
            return malformed;
        }
        var timestamp = Timestamp(header!)!.Value;
        foreach (var secret in secrets)
        {
            if (Validates(payload, header!, secret, tolerance, now))
            {
                return null;
            }
        }
        // Refused. Say "stale" only when a secret does sign it (so the clock, not the sender, is at fault).
        if (Math.Abs(now - timestamp) > tolerance && secrets.Any(secret => Validates(payload, header!, secret, long.MaxValue / 4, timestamp)))
        {
            return OutOfTolerance;
        }
        return Invalid;
    }

    private static bool Validates(string payload, string header, string secret, long tolerance, long now)
    {
        try
        {
            EventUtility.ValidateSignature(payload, header, secret, tolerance, now);
            return true;
        }
        catch (StripeException)
        {
            return false;
        }
    }

    /// <summary>The one <c>t</c> of the header, when it is well formed (Stripe.net reads it as a 32-bit number).</summary>
    private static long? Timestamp(string header)
    {
        long? timestamp = null;
        foreach (var item in header.Split(','))
        {
            var at = item.IndexOf('=', StringComparison.Ordinal);
            if (at <= 0)
            {
                return null;
            }
            if (item.AsSpan(0, at).Trim() is "t")
            {
                if (timestamp is not null || !int.TryParse(item.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var t))
                {
                    return null;
                }
                timestamp = t;
            }
        }
        return timestamp;
    }
}

using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Platform.Grains.Pci.Webhooks;

/// <summary>
/// Checks a <c>Stripe-Signature</c> header (<c>t=…,v1=…[,v1=…]</c>) as Stripe.net's
/// <c>EventUtility.ValidateSignature</c> does: lowercase hex of HMAC-SHA256(secret, <c>"{t}.{payload}"</c>)
/// (the header's own <c>t</c> text, strict UTF-8), compared in constant time against every <c>v1</c>, then
/// the timestamp tolerance. Written here rather than called there because that method rebuilds the signed
/// string, an HMAC object and a hex string per secret on every delivery, the busiest path of a webhook burst;
/// the unit tests hold both to the same answers. Each configured secret is tried (the current one first),
/// so a rotation never drops deliveries.
/// </summary>
public static class StripeWebhookSignature
{
    public const string Missing = "signature_missing";
    public const string Invalid = "signature_invalid";
    public const string OutOfTolerance = "timestamp_out_of_tolerance";

    private const int HexLength = 2 * HMACSHA256.HashSizeInBytes;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The refusal code of a header that cannot be a signature at all (checked before any secret is needed).</summary>
    public static string? Malformed(string? header)
    {
        if (string.IsNullOrWhiteSpace(header) || !header.Contains("v1=", StringComparison.Ordinal))
        {
            return Missing;
        }
        // Stripe.net would throw a FormatException on a malformed t.
        return Timestamp(header, out _) is null ? Invalid : null;
    }

    /// <summary>Null when the header signs the payload with one of the secrets within the tolerance; else the refusal code.</summary>
    public static string? Check(string payload, string? header, IReadOnlyList<string> secrets, long tolerance, long now)
    {
        if (Malformed(header) is { } malformed)
        {
            return malformed;
        }
        var timestamp = Timestamp(header!, out var timestampText)!.Value;
        var signatures = header!.Trim().Split(',')
            .Select(item => item.Trim().Split('=', 2))
            .Where(parts => parts.Length == 2 && parts[0] == "v1")
            .Select(parts => parts[1])
            .ToList();
        if (!SignedByAny(payload, timestampText, signatures, secrets))
        {
            return Invalid;
        }
        // Signed by one of our secrets: only then is a far timestamp "stale" (the clock, not the sender, is at fault).
        return Math.Abs(now - timestamp) > tolerance ? OutOfTolerance : null;
    }

    private static bool SignedByAny(string payload, string timestampText, List<string> signatures, IReadOnlyList<string> secrets)
    {
        var signed = ArrayPool<byte>.Shared.Rent(timestampText.Length + 1 + StrictUtf8.GetMaxByteCount(payload.Length));
        try
        {
            int length;
            try
            {
                length = Encoding.ASCII.GetBytes(timestampText, signed);
                signed[length++] = (byte)'.';
                length += StrictUtf8.GetBytes(payload, signed.AsSpan(length));
            }
            catch (EncoderFallbackException)
            {
                return false; // not valid UTF-16 (a lone surrogate): Stripe.net refuses it too
            }
            Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
            Span<char> expected = stackalloc char[HexLength];
            foreach (var secret in secrets)
            {
                HMACSHA256.HashData(StrictUtf8.GetBytes(secret), signed.AsSpan(0, length), mac);
                Convert.TryToHexStringLower(mac, expected, out _);
                foreach (var signature in signatures)
                {
                    if (CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(signature.AsSpan()), MemoryMarshal.AsBytes(expected)))
                    {
                        return true;
                    }
                }
            }
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(signed);
        }
    }

    /// <summary>The one <c>t</c> of the header, when it is well formed (Stripe.net reads it as a 32-bit number), and its text.</summary>
    private static long? Timestamp(string header, out string text)
    {
        long? timestamp = null;
        text = "";
        foreach (var item in header.Split(',', StringSplitOptions.TrimEntries))
        {
            var at = item.IndexOf('=', StringComparison.Ordinal);
            if (at <= 0)
            {
                return null;
            }
            if (item.AsSpan(0, at) is "t")
            {
                if (timestamp is not null || !int.TryParse(item.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var t))
                {
                    return null;
                }
                timestamp = t;
                text = item[(at + 1)..];
            }
        }
        return timestamp;
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Platform.StripeFake.Webhooks;

/// <summary>Stripe's webhook signature: <c>t=&lt;unix&gt;,v1=&lt;hex HMAC-SHA256(secret, "t.payload")&gt;</c>.</summary>
public static class WebhookSignature
{
    /// <summary>The value of a <c>Stripe-Signature</c> header for <paramref name="payload"/>.</summary>
    public static string CreateHeader(string payload, string secret, DateTimeOffset timestamp)
    {
        var t = timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var hash = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(t + "." + payload));
        return $"t={t},v1={Convert.ToHexStringLower(hash)}";
    }
}

using System.Security.Cryptography;
using System.Text;

namespace Platform.Grains.Webhooks;

/// <summary>
/// The <c>Platform-Signature</c> header, in Stripe's scheme so tenants can verify with Stripe's own
/// libraries: <c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, "t.body")&gt;</c>, with one <c>v1</c>
/// per active secret (two during a rotation's overlap). The HMAC key is the UTF-8 of the whole secret,
/// <c>whsec_</c> prefix included, exactly as Stripe.net's EventUtility.ComputeSignature does.
/// </summary>
public static class WebhookSignature
{
    public const string HeaderName = "Platform-Signature";

    public static string Header(long timestamp, string body, IEnumerable<string> secrets)
    {
        var builder = new StringBuilder("t=").Append(timestamp);
        foreach (var secret in secrets)
        {
            builder.Append(",v1=").Append(Compute(secret, timestamp, body));
        }
        return builder.ToString();
    }

    public static string Compute(string secret, long timestamp, string body)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}"));
        return Convert.ToHexStringLower(mac);
    }
}

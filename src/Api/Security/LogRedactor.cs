using System.Text.RegularExpressions;
using Platform.Grains.Interfaces.CardData;

namespace Platform.Api.Security;

/// <summary>
/// What log lines must never carry: card numbers and credentials. Keys keep their prefix so a line still
/// says which kind of credential was involved.
/// </summary>
public static partial class LogRedactor
{
    public static string Redact(string text)
    {
        if (text.Length == 0)
        {
            return text;
        }
        text = CardDataDetector.Redact(text);
        text = SensitiveDataScanner.Redact(text);
        text = Secrets().Replace(text, m => m.Groups["prefix"].Value + "[REDACTED]");
        return text;
    }

    // Tenant keys (sk_<id>_<secret>), Stripe keys (sk_/rk_/pk_ live/test), customer keys, webhook
    // secrets, bearer tokens of any shape and compact JWTs.
    [GeneratedRegex(
        @"(?<prefix>\b(?:sk|rk)_(?:live_|test_)?)[A-Za-z0-9_]{8,}|(?<prefix>\bcust_)[A-Za-z0-9_]{8,}|(?<prefix>\bwhsec_)[A-Za-z0-9]{8,}|(?<prefix>Bearer\s+)\S+|(?<prefix>)\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Secrets();
}

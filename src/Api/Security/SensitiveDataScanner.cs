using System.Text.RegularExpressions;

namespace Platform.Api.Security;

/// <summary>
/// Sensitive data beyond card numbers that must never enter the platform either: card security codes
/// (any field named like cvc, cvv, cvv2, cvc2, security_code, card_verification), magnetic-stripe track
/// data, and US social security numbers (ddd-dd-dddd). Returns what kind was found, never the value.
/// </summary>
public static partial class SensitiveDataScanner
{
    public static string? Find(string text)
    {
        if (CardNumberScanner.ContainsCardNumber(text))
        {
            return "card number";
        }
        if (SecurityCodeField().IsMatch(text))
        {
            return "card security code";
        }
        if (TrackData().IsMatch(text))
        {
            return "magnetic-stripe data";
        }
        if (SocialSecurityNumber().IsMatch(text))
        {
            return "social security number";
        }
        return null;
    }

    /// <summary>Redacts track data and SSNs (card numbers are redacted by <see cref="CardNumberScanner"/>).</summary>
    public static string Redact(string text)
    {
        text = TrackData().Replace(text, "[REDACTED TRACK]");
        return SocialSecurityNumber().Replace(text, "[REDACTED SSN]");
    }

    // A JSON key or form field named like a security code, whatever its value.
    [GeneratedRegex(@"(?:^|[""'&?])\s*(?:card_?)?(?:cvc2?|cvv2?|cid|security_?code|card_?verification(?:_?value|_?code)?)\s*[""']?\s*[:=]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecurityCodeField();

    // Track 1 (%B<PAN>^NAME^YYMM...) and track 2 (;<PAN>=YYMM...).
    [GeneratedRegex(@"%B\d{12,19}\^|;\d{12,19}=\d{4}", RegexOptions.CultureInvariant)]
    private static partial Regex TrackData();

    // ddd-dd-dddd, not part of a longer number; areas 000, 666 and 9xx are never issued.
    [GeneratedRegex(@"(?<![\d-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\d-])", RegexOptions.CultureInvariant)]
    private static partial Regex SocialSecurityNumber();
}

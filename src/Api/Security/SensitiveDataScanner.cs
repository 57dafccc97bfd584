using System.Text.RegularExpressions;
using Platform.Grains.Interfaces.CardData;

namespace Platform.Api.Security;

/// <summary>
/// Sensitive data that must never enter the platform, in free text: card numbers
/// (<see cref="CardDataDetector"/>), fields named like a card security code, expiry or number (the
/// detector's normalised key match), magnetic-stripe track data, and US social security numbers
/// (ddd-dd-dddd). Returns what kind was found, never the value. Structured input (JSON, query, form) is
/// walked field by field by <see cref="RequestCardDataInspector"/>; this is the rule for one text.
/// </summary>
public static partial class SensitiveDataScanner
{
    public static string? Find(string text)
    {
        if (CardDataDetector.ContainsCardNumber(CardDataDetector.MaskOwnIdentifiers(text, hexTokens: false)))
        {
            return "card number";
        }
        foreach (Match field in FieldName().Matches(text))
        {
            if (CardDataDetector.CardDataKeyKind(field.Groups["key"].Value) is { } kind)
            {
                return kind;
            }
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

    /// <summary>Redacts track data and SSNs (card numbers are redacted by <see cref="CardDataDetector"/>).</summary>
    public static string Redact(string text)
    {
        text = TrackData().Replace(text, "[REDACTED TRACK]");
        return SocialSecurityNumber().Replace(text, "[REDACTED SSN]");
    }

    // A JSON key or form field name followed by its ':' or '='; the name is judged by the detector.
    [GeneratedRegex(@"(?:^|[""'&?;{,])\s*(?<key>[^""'&?;{},:=\r\n]{1,64}?)\s*[""']?\s*[:=]", RegexOptions.CultureInvariant)]
    private static partial Regex FieldName();

    // Track 1 (%B<PAN>^NAME^YYMM...) and track 2 (;<PAN>=YYMM...).
    [GeneratedRegex(@"%B\d{12,19}\^|;\d{12,19}=\d{4}", RegexOptions.CultureInvariant)]
    private static partial Regex TrackData();

    // ddd-dd-dddd, not part of a longer number; areas 000, 666 and 9xx are never issued.
    [GeneratedRegex(@"(?<![\d-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\d-])", RegexOptions.CultureInvariant)]
    private static partial Regex SocialSecurityNumber();
}

using System.Globalization;
using System.Text;

namespace Platform.Integration.Tests.Api;

/// <summary>
/// Card data in every encoding issue 25 found walking around the old guard, and more of the same kinds.
/// Each entry is a whole JSON body; <see cref="Pans"/> are the card numbers inside them.
/// </summary>
public static class CardDataCorpus
{
    public static readonly string[] Pans = ["4242424242424242", "5555555555554444", "378282246310005", "6011111111111117"];

    private static string Wide(string digits) => string.Concat(digits.Select(d => (char)(0xFF10 + d - '0')));

    private static string Script(string digits, int zero) => string.Concat(digits.Select(d => char.ConvertFromUtf32(zero + d - '0')));

    private static string Grouped(string separator) => string.Join(separator, "4242", "4242", "4242", "4242");

    /// <summary>(label, UTF-8 JSON body).</summary>
    public static IEnumerable<(string Label, string Body)> Bodies()
    {
        var values = new (string Label, string Value)[]
        {
            ("canonical", "4242424242424242"),
            ("cvv after a space", "4242 4242 4242 4242 123"),
            ("cvv glued on", "4242424242424242123"),
            ("20-digit run", "42424242424242421230"),
            ("in the middle of a run", "9942424242424242429"),
            ("expiry after", "5555555555554444 12/30"),
            ("dots", Grouped(".")),
            ("slashes", Grouped("/")),
            ("underscores", Grouped("_")),
            ("double spaces", Grouped("  ")),
            ("mixed separators", "4242 - 4242 . 4242 / 4242"),
            ("no-break spaces", Grouped("\u00a0")),
            ("thin spaces", Grouped("\u2009")),
            ("narrow no-break spaces", Grouped("\u202f")),
            ("zero-width spaces", Grouped("\u200b")),
            ("ideographic spaces", Grouped("\u3000")),
            ("en dashes", Grouped("\u2013")),
            ("soft hyphens", Grouped("\u00ad")),
            ("word joiners", Grouped("\u2060")),
            ("full-width digits", Wide("4242424242424242")),
            ("full-width with full-width stops", string.Join("\uff0e", Wide("4242"), Wide("4242"), Wide("4242"), Wide("4242"))),
            ("Arabic-Indic digits", Script("4242424242424242", 0x0660)),
            ("Devanagari digits", Script("5555555555554444", 0x0966)),
            ("mathematical digits", Script("4242424242424242", 0x1D7CE)),
            ("mixed scripts", "4242 " + Wide("4242") + " " + Script("4242", 0x0660) + " 4242"),
            ("amex grouped", "3782 822463 10005"),
            ("discover", "6011-1111-1111-1117"),
        };
        foreach (var (label, value) in values)
        {
            yield return (label, "{\"name\":\"" + value + "\"}");
            yield return (label + " (JSON-escaped)", "{\"metadata\":{\"note\":\"" + Escape(value) + "\"}}");
        }
        yield return ("a JSON number", """{"amount":4242424242424242}""");
        yield return ("a field name", """{"metadata":{"4242424242424242":"x"}}""");
        foreach (var key in new[] { "cvc", "CVV2", "csc", "cvn", "cid", "cvv_code", "card-cvv", "card.cvc", "verification_value", "security_code", "exp_month", "exp_year", "expiry", "card_number" })
        {
            yield return ("key " + key, "{\"metadata\":{\"" + key + "\":\"123\"}}");
        }
    }

    /// <summary>Every character as a \u escape, so the body's bytes hold no digit at all.</summary>
    private static string Escape(string value) =>
        string.Concat(value.Select(c => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture)));

    /// <summary>The digits of a text, whatever their script (full-width, Arabic-Indic, mathematical …), and nothing else.</summary>
    public static string Digits(string text)
    {
        var builder = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.DecimalDigitNumber or UnicodeCategory.OtherNumber
                && Rune.GetNumericValue(rune) is var value and >= 0 and <= 9)
            {
                builder.Append((char)('0' + (int)value));
            }
        }
        return builder.ToString();
    }
}

using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Platform.Grains.Interfaces.CardData;

/// <summary>
/// The one rule for what a card number is, used by the API's request guard, the log redactor, the
/// response check and the compliance report's storage scan (this project is the one both the API and
/// the silo reference; the rule depends on nothing but the BCL).
/// <list type="bullet">
/// <item>Each character is read as NFKC would read it (full-width forms folded by hand, since the platform
/// runs without ICU), and every Unicode decimal digit (full-width, Arabic-Indic, Devanagari, mathematical,
/// …) and every compatibility digit (circled, superscript) counts as its digit.</item>
/// <item>Digit groups joined by any run of separators (space, dash, dot, slash, underscore, tab, any Unicode
/// space or dash, zero-width and other format characters, combining marks) form one digit run.</item>
/// <item>Every window of 13–19 digits inside a run that starts with 2–6 and passes Luhn is a card number.
/// The leading-digit rule keeps 13-digit Unix times in milliseconds (leading 1) out; windows inside longer
/// runs catch a PAN with a CVV or an expiry glued on.</item>
/// </list>
/// Positions refer to the text as given, so redaction removes exactly the original characters.
/// </summary>
public static partial class CardDataDetector
{
    private const int MinDigits = 13;
    private const int MaxDigits = 19;
    private const int MaxCachedRunes = 4096;

    private static readonly Dictionary<int, sbyte> RuneClasses = [];
    private static readonly Lock RuneClassesLock = new();

    private const sbyte Other = -1;
    private const sbyte Separator = -2;

    public static bool ContainsCardNumber(string text) => FindCardNumber(text).Length > 0;

    /// <summary>
    /// The span of the first digit run (first digit to last) that holds a card number, or length 0.
    /// The whole run is returned, so a redaction leaves none of its digits behind.
    /// </summary>
    public static (int Start, int Length) FindCardNumber(string text)
    {
        Span<int> ring = stackalloc int[MaxDigits];
        var i = 0;
        while (i < text.Length)
        {
            var kind = Classify(text, i, out var width);
            if (kind < 0)
            {
                i += width;
                continue;
            }
            var runStart = i;
            var runEnd = i;
            var count = 0;
            var found = false;
            var j = i;
            while (j < text.Length)
            {
                var k = Classify(text, j, out var w);
                if (k == Other)
                {
                    break;
                }
                j += w;
                if (k == Separator)
                {
                    continue;
                }
                ring[count % MaxDigits] = k;
                count++;
                runEnd = j;
                found = found || EndsWithCardNumber(ring, count);
            }
            if (found)
            {
                return (runStart, runEnd - runStart);
            }
            i = j;
        }
        return (0, 0);
    }

    /// <summary>Replaces every digit run holding a card number with a fixed marker, keeping nothing of it.</summary>
    public static string Redact(string text)
    {
        var (start, length) = FindCardNumber(text);
        if (length == 0)
        {
            return text;
        }
        var builder = new StringBuilder(text.Length);
        var rest = text;
        while (length > 0)
        {
            builder.Append(rest.AsSpan(0, start)).Append("[REDACTED PAN]");
            rest = rest[(start + length)..];
            (start, length) = FindCardNumber(rest);
        }
        return builder.Append(rest).ToString();
    }

    /// <summary>
    /// The text with identifiers of our own making blanked out (same length, so positions still hold):
    /// UUIDs (idempotency keys), and with <paramref name="hexTokens"/> W3C trace ids and hex of 32+
    /// characters (hashes in stored state and responses). Their digit groups joined by dashes, or a
    /// random hex's digit runs, would otherwise pass Luhn about once in a few hundred.
    /// </summary>
    public static string MaskOwnIdentifiers(string text, bool hexTokens) =>
        (hexTokens ? HexTokens() : Uuids()).Replace(text, m => new string('x', m.Length));

    /// <summary>
    /// What a field name says it holds, matched after normalising it (NFKC, case, separators, a
    /// card/cc/credit/payment prefix): <c>card security code</c>, <c>card expiry</c>, <c>card number</c>, or null.
    /// </summary>
    public static string? CardDataKeyKind(string name)
    {
        var key = NormaliseKey(name);
        var cardPrefixed = false;
        foreach (var prefix in KeyPrefixes)
        {
            if (key.Length > prefix.Length && key.StartsWith(prefix, StringComparison.Ordinal))
            {
                key = key[prefix.Length..];
                cardPrefixed |= prefix != "payment";
            }
        }
        if (SecurityCodeKeys.Contains(key))
        {
            return "card security code";
        }
        if (ExpiryKeys.Contains(key))
        {
            return "card expiry";
        }
        return NumberKeys.Contains(key) || (cardPrefixed && PrefixedNumberKeys.Contains(key)) ? "card number" : null;
    }

    /// <summary>A field name reduced to lowercase letters and ASCII digits (NFKC, Unicode digits mapped).</summary>
    public static string NormaliseKey(string name)
    {
        var builder = new StringBuilder(name.Length);
        for (var i = 0; i < name.Length;)
        {
            var kind = Classify(name, i, out var width);
            if (kind >= 0)
            {
                builder.Append((char)('0' + kind));
            }
            else if (kind == Other && Rune.TryGetRuneAt(name, i, out var rune))
            {
                foreach (var c in Nfkc(rune))
                {
                    if (char.IsLetter(c))
                    {
                        builder.Append(char.ToLowerInvariant(c));
                    }
                }
            }
            i += width;
        }
        return builder.ToString();
    }

    // Longest first: "creditcard" before "credit", "card".
    private static readonly string[] KeyPrefixes = ["payment", "creditcard", "credit", "card", "cc"];

    private static readonly HashSet<string> SecurityCodeKeys =
    [
        "cvc", "cvv", "cvc2", "cvv2", "csc", "cvn", "cvn2", "cid", "cvd", "cav2", "cvvcode", "cvccode", "cvncode", "csccode",
        "cvvnumber", "cvcnumber", "cvvvalue", "securitycode", "verificationvalue", "verificationcode", "verificationnumber",
    ];

    private static readonly HashSet<string> ExpiryKeys =
    [
        "expmonth", "expyear", "expmm", "expyy", "expyyyy", "expdate", "expiry", "expirymonth", "expiryyear", "expirydate",
        "expirationmonth", "expirationyear", "expirationdate", "validthru",
    ];

    private static readonly HashSet<string> NumberKeys = ["pan", "primaryaccountnumber", "cardnumber", "ccnumber", "creditcardnumber"];

    private static readonly HashSet<string> PrefixedNumberKeys = ["number", "num", "no", "nr"];

    /// <summary>Whether the last 13–19 digits seen (newest at count−1 in the ring) end a Luhn-valid number led by 2–6.</summary>
    private static bool EndsWithCardNumber(ReadOnlySpan<int> ring, int count)
    {
        var sum = 0;
        var longest = Math.Min(count, MaxDigits);
        for (var length = 1; length <= longest; length++)
        {
            var digit = ring[(count - length) % MaxDigits];
            if (length % 2 == 0)
            {
                digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
            }
            sum += digit;
            if (length >= MinDigits && sum % 10 == 0 && ring[(count - length) % MaxDigits] is >= 2 and <= 6)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The digit value (0–9), <see cref="Separator"/> or <see cref="Other"/> of the character at <paramref name="index"/>.</summary>
    private static sbyte Classify(string text, int index, out int width)
    {
        var c = text[index];
        width = 1;
        if (c < 0x80)
        {
            return c switch
            {
                >= '0' and <= '9' => (sbyte)(c - '0'),
                ' ' or '-' or '.' or '/' or '_' or '\t' => Separator,
                _ => Other,
            };
        }
        if (!Rune.TryGetRuneAt(text, index, out var rune))
        {
            return Other;
        }
        width = rune.Utf16SequenceLength;
        lock (RuneClassesLock)
        {
            if (RuneClasses.TryGetValue(rune.Value, out var cached))
            {
                return cached;
            }
        }
        var kind = ClassifyRune(rune);
        lock (RuneClassesLock)
        {
            if (RuneClasses.Count < MaxCachedRunes)
            {
                RuneClasses[rune.Value] = kind;
            }
        }
        return kind;
    }

    private static sbyte ClassifyRune(Rune rune)
    {
        // Nd: every script's decimal digits; No with a digit's value: circled, superscript, subscript and
        // other compatibility digits (what NFKC maps to 0-9, and a few more), read without ICU.
        if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.DecimalDigitNumber or UnicodeCategory.OtherNumber
            && Rune.GetNumericValue(rune) is var value and >= 0 and <= 9 && value == Math.Floor(value))
        {
            return (sbyte)value;
        }
        var normalised = Nfkc(rune);
        if (normalised.Length == 1 && char.IsAsciiDigit(normalised[0]))
        {
            return (sbyte)(normalised[0] - '0');
        }
        if (normalised.Length > 0 && normalised.All(IsSeparatorChar))
        {
            return Separator;
        }
        return Other;
    }

    private static bool IsSeparatorChar(char c) =>
        c is ' ' or '-' or '.' or '/' or '_' or '\t' || CharUnicodeInfo.GetUnicodeCategory(c) is
            UnicodeCategory.SpaceSeparator or UnicodeCategory.DashPunctuation or UnicodeCategory.Format
            or UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.SpacingCombiningMark
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;

    /// <summary>
    /// NFKC of one character. The full-width forms are folded by hand first: the platform runs with
    /// invariant globalization (no ICU), where <see cref="string.Normalize(NormalizationForm)"/> leaves
    /// non-ASCII text as it is.
    /// </summary>
    private static string Nfkc(Rune rune)
    {
        if (rune.Value is >= 0xFF01 and <= 0xFF5E)
        {
            return ((char)(rune.Value - 0xFEE0)).ToString();
        }
        if (rune.Value == 0x3000)
        {
            return " ";
        }
        var text = rune.ToString();
        try
        {
            return text.IsNormalized(NormalizationForm.FormKC) ? text : text.Normalize(NormalizationForm.FormKC);
        }
        catch (Exception e) when (e is ArgumentException or PlatformNotSupportedException)
        {
            return text;
        }
    }

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", RegexOptions.CultureInvariant)]
    private static partial Regex Uuids();

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}|[0-9a-fA-F]{32,}", RegexOptions.CultureInvariant)]
    private static partial Regex HexTokens();
}

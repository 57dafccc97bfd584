namespace Platform.Api.Security;

/// <summary>
/// Finds primary account numbers: a run of 13–19 digits, optionally grouped by single spaces or dashes,
/// that passes the Luhn check and starts with 2–6 (the major networks: Mastercard 2/5, Amex 3, Visa 4,
/// Discover 6). The leading-digit rule matters: one random digit string in ten passes Luhn, and without
/// it every Unix timestamp in milliseconds (13 digits starting with 1) would be refused one time in ten.
/// Used to refuse request bodies holding card data and to redact logs.
/// </summary>
public static class CardNumberScanner
{
    private const int MinDigits = 13;
    private const int MaxDigits = 19;

    public static bool ContainsCardNumber(ReadOnlySpan<char> text) => FindCardNumber(text).Length > 0;

    /// <summary>The (start, length) of the first card number in <paramref name="text"/>, or length 0.</summary>
    public static (int Start, int Length) FindCardNumber(ReadOnlySpan<char> text)
    {
        Span<int> digits = stackalloc int[MaxDigits + 1];
        Span<int> positions = stackalloc int[MaxDigits + 1];
        var i = 0;
        while (i < text.Length)
        {
            if (!char.IsAsciiDigit(text[i]) || (i > 0 && char.IsAsciiDigit(text[i - 1])))
            {
                i++;
                continue;
            }
            // Collect one run: digits with single separators between them.
            var count = 0;
            var j = i;
            while (j < text.Length)
            {
                if (char.IsAsciiDigit(text[j]))
                {
                    if (count < digits.Length)
                    {
                        digits[count] = text[j] - '0';
                        positions[count] = j;
                    }
                    count++;
                    j++;
                }
                else if ((text[j] == ' ' || text[j] == '-') && j + 1 < text.Length && char.IsAsciiDigit(text[j + 1]) && j > i)
                {
                    j++;
                }
                else
                {
                    break;
                }
            }
            if (count is >= MinDigits and <= MaxDigits && digits[0] is >= 2 and <= 6 && Luhn(digits[..count]))
            {
                return (positions[0], positions[count - 1] - positions[0] + 1);
            }
            i = j;
        }
        return (0, 0);
    }

    /// <summary>Replaces every card number with a fixed marker, keeping nothing of it.</summary>
    public static string Redact(string text)
    {
        var (start, length) = FindCardNumber(text);
        if (length == 0)
        {
            return text;
        }
        return Redact(string.Concat(text.AsSpan(0, start), "[REDACTED PAN]", text.AsSpan(start + length)));
    }

    private static bool Luhn(ReadOnlySpan<int> digits)
    {
        var sum = 0;
        var doubleIt = false;
        for (var k = digits.Length - 1; k >= 0; k--)
        {
            var d = digits[k];
            if (doubleIt)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }
            sum += d;
            doubleIt = !doubleIt;
        }
        return sum % 10 == 0;
    }
}

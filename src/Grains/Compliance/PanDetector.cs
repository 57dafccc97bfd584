using System.Text.RegularExpressions;

namespace Platform.Grains.Compliance;

/// <summary>
/// Finds card numbers in stored text by the API's rule (src/Api/Security/CardNumberScanner): 13–19 digits,
/// single spaces or dashes allowed between, leading digit 2–6, Luhn-valid. The silo cannot reference
/// the API, so the rule is restated here; a unit test holds the two together.
/// </summary>
public static partial class PanDetector
{
    public static bool ContainsPan(string text)
    {
        foreach (Match match in DigitRun().Matches(text))
        {
            var digits = match.Value.Where(char.IsAsciiDigit).Select(c => c - '0').ToArray();
            if (digits.Length is >= 13 and <= 19 && digits[0] is >= 2 and <= 6 && Luhn(digits))
            {
                return true;
            }
        }
        return false;
    }

    private static bool Luhn(int[] digits)
    {
        var sum = 0;
        for (var k = 0; k < digits.Length; k++)
        {
            var d = digits[digits.Length - 1 - k];
            if (k % 2 == 1)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }
            sum += d;
        }
        return sum % 10 == 0;
    }

    [GeneratedRegex(@"(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])")]
    private static partial Regex DigitRun();
}

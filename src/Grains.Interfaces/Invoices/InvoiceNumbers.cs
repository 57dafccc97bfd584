using System.Globalization;

namespace Platform.Grains.Interfaces.Invoices;

/// <summary>How an invoice number is written: the tenant's prefix, a dash, the per-tenant count on six digits or more.</summary>
public static class InvoiceNumbers
{
    public const int MaxPrefixLength = 12;

    public const string PrefixRule = "1 to 12 characters: upper-case letters A-Z, digits, starting with a letter";

    public static string Format(string prefix, long number) =>
        prefix + "-" + number.ToString("D6", CultureInfo.InvariantCulture);

    public static bool IsValidPrefix(string? prefix) =>
        prefix is { Length: > 0 and <= MaxPrefixLength }
        && char.IsAsciiLetterUpper(prefix[0])
        && prefix.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c));
}

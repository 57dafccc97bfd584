using System.Text.RegularExpressions;

namespace Platform.Api.Portal;

/// <summary>The tax id types the portal accepts (Stripe's names) and the shape of each.</summary>
public static partial class TaxIds
{
    public static readonly IReadOnlyDictionary<string, (string Label, Regex Shape)> Types = new Dictionary<string, (string, Regex)>(StringComparer.Ordinal)
    {
        ["eu_vat"] = ("EU VAT number", EuVat()),
        ["gb_vat"] = ("UK VAT number", GbVat()),
        ["ch_vat"] = ("Swiss VAT number", ChVat()),
        ["us_ein"] = ("US EIN", UsEin()),
        ["au_abn"] = ("Australian ABN", AuAbn()),
        ["ca_bn"] = ("Canadian BN", CaBn()),
    };

    /// <summary>Null when valid; else why not.</summary>
    public static string? Problem(string? type, string? value)
    {
        if (string.IsNullOrEmpty(type) && string.IsNullOrEmpty(value))
        {
            return null;
        }
        if (type is null || !Types.TryGetValue(type, out var rule))
        {
            return "Choose the kind of tax id.";
        }
        return value is not null && rule.Shape.IsMatch(value) ? null : $"This is not a valid {rule.Label}.";
    }

    [GeneratedRegex("^(AT|BE|BG|CY|CZ|DE|DK|EE|EL|ES|FI|FR|HR|HU|IE|IT|LT|LU|LV|MT|NL|PL|PT|RO|SE|SI|SK)[0-9A-Z]{8,12}$")]
    private static partial Regex EuVat();

    [GeneratedRegex("^GB([0-9]{9}|[0-9]{12})$")]
    private static partial Regex GbVat();

    [GeneratedRegex("^CHE-[0-9]{3}\\.[0-9]{3}\\.[0-9]{3} (MWST|TVA|IVA)$")]
    private static partial Regex ChVat();

    [GeneratedRegex("^[0-9]{2}-[0-9]{7}$")]
    private static partial Regex UsEin();

    [GeneratedRegex("^[0-9]{11}$")]
    private static partial Regex AuAbn();

    [GeneratedRegex("^[0-9]{9}$")]
    private static partial Regex CaBn();
}

namespace Platform.Api.Common;

/// <summary>
/// The active ISO 4217 currency codes, lowercase as on the wire. Every currency field (plans, payments, a
/// tenant's payment limits) is checked against this one list, so "xyz" is refused everywhere alike.
/// Input is matched without regard to case, as Stripe does, and always answered in lowercase.
/// </summary>
public static class Currencies
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "aed", "afn", "all", "amd", "ang", "aoa", "ars", "aud", "awg", "azn", "bam", "bbd", "bdt", "bgn", "bhd", "bif",
        "bmd", "bnd", "bob", "brl", "bsd", "btn", "bwp", "byn", "bzd", "cad", "cdf", "chf", "clp", "cny", "cop", "crc",
        "cup", "cve", "czk", "djf", "dkk", "dop", "dzd", "egp", "ern", "etb", "eur", "fjd", "fkp", "gbp", "gel", "ghs",
        "gip", "gmd", "gnf", "gtq", "gyd", "hkd", "hnl", "htg", "huf", "idr", "ils", "inr", "iqd", "irr", "isk", "jmd",
        "jod", "jpy", "kes", "kgs", "khr", "kmf", "kpw", "krw", "kwd", "kyd", "kzt", "lak", "lbp", "lkr", "lrd", "lsl",
        "lyd", "mad", "mdl", "mga", "mkd", "mmk", "mnt", "mop", "mru", "mur", "mvr", "mwk", "mxn", "myr", "mzn", "nad",
        "ngn", "nio", "nok", "npr", "nzd", "omr", "pab", "pen", "pgk", "php", "pkr", "pln", "pyg", "qar", "ron", "rsd",
        "rub", "rwf", "sar", "sbd", "scr", "sdg", "sek", "sgd", "shp", "sle", "sos", "srd", "ssp", "stn", "svc", "syp",
        "szl", "thb", "tjs", "tmt", "tnd", "top", "try", "ttd", "twd", "tzs", "uah", "ugx", "usd", "uyu", "uzs", "ves",
        "vnd", "vuv", "wst", "xaf", "xcd", "xof", "xpf", "yer", "zar", "zmw", "zwg",
    };

    /// <summary>The lowercase code when <paramref name="value"/> names a known currency; null otherwise.</summary>
    public static string? Normalize(string? value) =>
        value is { Length: 3 } && value.All(char.IsAsciiLetter) && Known.Contains(value.ToLowerInvariant()) ? value.ToLowerInvariant() : null;

    /// <summary>Currencies with no minor unit (ISO 4217 exponent 0, as Stripe's zero-decimal list): 1500 JPY is ¥1,500.</summary>
    private static readonly HashSet<string> ZeroDecimal = new(StringComparer.Ordinal)
        { "bif", "clp", "djf", "gnf", "isk", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf" };

    /// <summary>Currencies of three decimals (exponent 3): 12345 KWD is 12.345 KWD.</summary>
    private static readonly HashSet<string> ThreeDecimal = new(StringComparer.Ordinal) { "bhd", "iqd", "jod", "kwd", "lyd", "omr", "tnd" };

    /// <summary>How many decimals the currency's minor unit has: 0 (JPY), 3 (KWD) or 2 (most).</summary>
    public static int Decimals(string currency) =>
        ZeroDecimal.Contains(currency.ToLowerInvariant()) ? 0 : ThreeDecimal.Contains(currency.ToLowerInvariant()) ? 3 : 2;

    /// <summary>An amount in minor units as major units, e.g. (1500, usd) → 15.00, (1500, jpy) → 1500, (12345, kwd) → 12.345.</summary>
    public static decimal Major(decimal minorUnits, string currency) => minorUnits / (decimal)Math.Pow(10, Decimals(currency));
}

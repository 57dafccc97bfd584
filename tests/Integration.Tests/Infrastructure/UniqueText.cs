namespace Platform.Integration.Tests.Infrastructure;

/// <summary>
/// Unique text for request bodies without digit runs: a GUID's hex holds a 13+ digit run now and then, and one in ten of
/// those is Luhn-valid, which the card-data guard rightly refuses (a flaky 400 in a test that meant no card).
/// </summary>
public static class UniqueText
{
    public static string Letters() => string.Concat(Guid.NewGuid().ToString("N").Select(c => char.IsAsciiDigit(c) ? (char)('g' + (c - '0')) : c));
}

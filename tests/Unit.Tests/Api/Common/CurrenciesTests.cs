using Platform.Api.Common;
using Platform.Api.Portal;

namespace Platform.Unit.Tests.Api.Common;

/// <summary>Minor units by currency: cents, whole yen (zero-decimal), fils (three-decimal), as the portal shows them.</summary>
public sealed class CurrenciesTests
{
    [Theory]
    [InlineData("usd", 150_000, "1,500.00 USD")]
    [InlineData("jpy", 1_500, "1,500 JPY")]
    [InlineData("KRW", 990, "990 KRW")]
    [InlineData("kwd", 12_345, "12.345 KWD")]
    [InlineData("bhd", -5, "-0.005 BHD")]
    [InlineData("eur", 5, "0.05 EUR")]
    public void Money_IsShownInTheCurrencysOwnDecimals(string currency, long minorUnits, string shown) =>
        Assert.Equal(shown, PortalHtml.Money(minorUnits, currency));

    [Theory]
    [InlineData("jpy", 0)]
    [InlineData("kwd", 3)]
    [InlineData("usd", 2)]
    public void Decimals_FollowIso4217(string currency, int decimals) => Assert.Equal(decimals, Currencies.Decimals(currency));
}

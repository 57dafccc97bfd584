using Platform.Api.Security;

namespace Platform.Unit.Tests.Api.Security;

public sealed class CardNumberScannerTests
{
    [Theory]
    [InlineData("4242424242424242")]
    [InlineData("pay with 4242 4242 4242 4242 now")]
    [InlineData("5555-5555-5555-4444")]
    [InlineData("378282246310005")]
    [InlineData("6011111111111117")]
    [InlineData("2223003122003222")]
    [InlineData("{\"n\":\"4000056655665556\"}")]
    [InlineData("cus_4242424242424242abc")]    // letters do not hide a run of digits
    public void FindsCardNumbers(string text) => Assert.True(CardNumberScanner.ContainsCardNumber(text));

    [Theory]
    [InlineData("4242424242424241")]           // fails Luhn
    [InlineData("1795431546006")]              // a Unix time in milliseconds
    [InlineData("424242424242")]               // 12 digits
    [InlineData("42424242424242424242")]       // 20 digits
    [InlineData("4242  4242 4242 4242")]       // double space breaks the run
    [InlineData("")]
    public void IgnoresWhatIsNotACardNumber(string text) => Assert.False(CardNumberScanner.ContainsCardNumber(text));

    [Fact]
    public void Redact_RemovesEveryCardNumber()
    {
        var redacted = CardNumberScanner.Redact("a 4242424242424242 b 5555-5555-5555-4444 c");

        Assert.Equal("a [REDACTED PAN] b [REDACTED PAN] c", redacted);
    }
}

public sealed class SensitiveDataScannerTests
{
    [Theory]
    [InlineData("""{"card":{"cvc":"123"}}""", "card security code")]
    [InlineData("""{"CVV2": "123"}""", "card security code")]
    [InlineData("""{"security_code":"1234"}""", "card security code")]
    [InlineData("cvv=123&x=1", "card security code")]
    [InlineData("a=1&cvv=123", "card security code")]
    [InlineData("%B4242424242424242^ROSEN/JENNY^2912101", "card number")]
    [InlineData(";6011000990139424=29121011000", "card number")]
    [InlineData(";1234567890123=2912", "magnetic-stripe data")]
    [InlineData("""{"note":"ssn 078-05-1120"}""", "social security number")]
    [InlineData("""{"date":"2026-11-23","phone":"415-555-0100"}""", null)]
    [InlineData("""{"name":"cvc team"}""", null)]
    public void Find_NamesTheKindOnly(string text, string? kind) => Assert.Equal(kind, SensitiveDataScanner.Find(text));
}

using Platform.Api.Security;

namespace Platform.Unit.Tests.Api.Security;

public sealed class SensitiveDataScannerTests
{
    [Theory]
    [InlineData("""{"card":{"cvc":"123"}}""", "card security code")]
    [InlineData("""{"CVV2": "123"}""", "card security code")]
    [InlineData("""{"security_code":"1234"}""", "card security code")]
    [InlineData("""{"csc":"123"}""", "card security code")]
    [InlineData("""{"card-cvv":"123"}""", "card security code")]
    [InlineData("""{"exp_month":12}""", "card expiry")]
    [InlineData("cvv=123&x=1", "card security code")]
    [InlineData("a=1&cvv_code=123", "card security code")]
    [InlineData("%B4242424242424242^ROSEN/JENNY^2912101", "card number")]
    [InlineData(";6011000990139424=29121011000", "card number")]
    [InlineData(";1234567890123=2912", "magnetic-stripe data")]
    [InlineData("""{"note":"ssn 078-05-1120"}""", "social security number")]
    [InlineData("""{"date":"2026-11-23","phone":"415-555-0100"}""", null)]
    [InlineData("""{"name":"cvc team"}""", null)]
    [InlineData("""{"idempotency":"3f2504e0-4f89-11d3-9a0c-0305e82c3301"}""", null)]
    public void Find_NamesTheKindOnly(string text, string? kind) => Assert.Equal(kind, SensitiveDataScanner.Find(text));
}

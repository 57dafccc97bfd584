using Platform.Api.Security;
using Platform.Grains.Compliance;

namespace Platform.Unit.Tests.Grains.Compliance;

/// <summary>The silo's stored-row scan and the API's request scanner agree on what a card number is.</summary>
public sealed class PanDetectorTests
{
    [Theory]
    [InlineData("4242424242424242", true)]
    [InlineData("{\"note\": \"card 4242 4242 4242 4242\"}", true)]
    [InlineData("5555-5555-5555-4444", true)]
    [InlineData("378282246310005", true)]
    [InlineData("4242424242424241", false)]
    [InlineData("1700000000000", false)]
    [InlineData("{\"ts\": 1763900000000, \"n\": 12345}", false)]
    [InlineData("42424242424242424242", false)]
    [InlineData("dk:AbC123:4242424242424242x", true)]
    public void ContainsPan_AgreesWithTheApiScanner(string text, bool expected)
    {
        Assert.Equal(expected, PanDetector.ContainsPan(text));
        Assert.Equal(CardNumberScanner.ContainsCardNumber(text), PanDetector.ContainsPan(text));
    }
}

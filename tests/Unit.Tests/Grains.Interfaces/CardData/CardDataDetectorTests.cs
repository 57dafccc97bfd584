using Platform.Grains.Interfaces.CardData;

namespace Platform.Unit.Tests.Grains.Interfaces.CardData;

/// <summary>The one card-number rule (API guard, log redactor, compliance storage scan).</summary>
public sealed class CardDataDetectorTests
{
    [Theory]
    [InlineData("4242424242424242")]
    [InlineData("pay with 4242 4242 4242 4242 now")]
    [InlineData("5555-5555-5555-4444")]
    [InlineData("378282246310005")]
    [InlineData("6011111111111117")]
    [InlineData("2223003122003222")]
    [InlineData("{\"n\":\"4000056655665556\"}")]
    [InlineData("cus_4242424242424242abc")]              // letters do not hide a run of digits
    [InlineData("dk:AbC123:4242424242424242x")]
    [InlineData("4242 4242 4242 4242 123")]              // a CVV after a space: a 19-digit run
    [InlineData("4242424242424242123")]                  // a CVV glued on
    [InlineData("42424242424242421230")]                 // 20 digits, the first 16 a PAN
    [InlineData("99424242424242424242")]                 // the PAN in the middle of a run
    [InlineData("4242.4242.4242.4242")]
    [InlineData("4242/4242/4242/4242")]
    [InlineData("4242_4242_4242_4242")]
    [InlineData("4242  4242 4242 4242")]                 // a double space
    [InlineData("4242 - 4242 . 4242 / 4242")]            // a run of mixed separators
    [InlineData("4242\u00a04242\u00a04242\u00a04242")]   // no-break space
    [InlineData("4242\u20094242\u20094242\u20094242")]   // thin space
    [InlineData("4242\u200b4242\u200b4242\u200b4242")]   // zero-width space
    [InlineData("4242\u202f4242\u30004242\u20134242")]   // narrow no-break, ideographic space, en dash
    [InlineData("4242\u00ad4242\u00ad4242\u00ad4242")]   // soft hyphen
    [InlineData("4\u03012\u030142424242424242")]         // combining marks between digits
    [InlineData("\uff14\uff12\uff14\uff12\uff14\uff12\uff14\uff12\uff14\uff12\uff14\uff12\uff14\uff12\uff14\uff12")] // full-width
    [InlineData("\u0664\u0662\u0664\u0662\u0664\u0662\u0664\u0662\u0664\u0662\u0664\u0662\u0664\u0662\u0664\u0662")] // Arabic-Indic
    [InlineData("\u096a\u0968\u096a\u0968\u096a\u0968\u096a\u0968\u096a\u0968\u096a\u0968\u096a\u0968\u096a\u0968")] // Devanagari
    [InlineData("\U0001D7D2\U0001D7D0\U0001D7D2\U0001D7D0\U0001D7D2\U0001D7D0\U0001D7D2\U0001D7D0\U0001D7D2\U0001D7D0\U0001D7D2\U0001D7D0\U0001D7D2\U0001D7D0\U0001D7D2\U0001D7D0")] // mathematical bold
    [InlineData("\u2463\u2461\u2463\u2461\u2463\u2461\u2463\u2461\u2463\u2461\u2463\u2461\u2463\u2461\u2463\u2461")] // circled (NFKC)
    [InlineData("4242 \uff14\uff12\uff14\uff12 \u0664\u0662\u0664\u0662 4242")]
    [InlineData("5555555555554444 12/30")]
    public void ContainsCardNumber_FindsEveryEncoding(string text) => Assert.True(CardDataDetector.ContainsCardNumber(text), text);

    [Theory]
    [InlineData("4111111111111112")]                     // fails Luhn in every window
    [InlineData("1795431546006")]                        // a Unix time in milliseconds
    [InlineData("1763900000000")]
    [InlineData("{\"ts\": 1763900000000, \"n\": 12345}")]
    [InlineData("424242424242")]                         // 12 digits
    [InlineData("Phone +1 415 555 0100")]
    [InlineData("2026-11-23")]
    [InlineData("")]
    public void ContainsCardNumber_IgnoresWhatIsNotACardNumber(string text) => Assert.False(CardDataDetector.ContainsCardNumber(text), text);

    [Fact]
    public void OurOwnIdentifiers_Pass()
    {
        var ids = Enumerable.Range(0, 2000).SelectMany(_ => new[]
        {
            Platform.Grains.Interfaces.Common.PlatformIds.NewCustomerId(),
            Platform.Grains.Interfaces.Common.PlatformIds.NewTenantId(),
            Platform.Grains.Interfaces.Common.PlatformIds.NewEventId(),
        });
        Assert.DoesNotContain(ids, id => CardDataDetector.ContainsCardNumber(id));
        // Unix times in milliseconds: a day of them, one a second.
        var start = DateTimeOffset.Parse("2026-12-04T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
        Assert.DoesNotContain(Enumerable.Range(0, 86_400).Select(s => (start + s * 1000L + s % 1000).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ms => CardDataDetector.ContainsCardNumber(ms));
    }

    [Fact]
    public void Uuids_PassOnceMasked_AndTheirDigitsAloneWouldNot()
    {
        var uuids = Enumerable.Range(0, 20_000).Select(_ => Guid.NewGuid().ToString()).ToList();
        Assert.DoesNotContain(uuids, u => CardDataDetector.ContainsCardNumber(CardDataDetector.MaskOwnIdentifiers(u, hexTokens: false)));
        Assert.DoesNotContain(uuids, u => CardDataDetector.ContainsCardNumber(CardDataDetector.MaskOwnIdentifiers(u.ToUpperInvariant(), hexTokens: false)));
        // A card number beside a UUID is still found.
        Assert.True(CardDataDetector.ContainsCardNumber(CardDataDetector.MaskOwnIdentifiers(uuids[0] + " 4242424242424242", hexTokens: false)));
    }

    [Fact]
    public void Redact_RemovesEveryRun_AndOnlyThem()
    {
        var redacted = CardDataDetector.Redact("a 4242424242424242 b 5555-5555-5555-4444 c \uff14\uff12\uff14\uff12\uff14\uff12\uff14\uff12\uff14\uff12\uff14\uff12\uff14\uff12\uff14\uff12 d");

        Assert.Equal("a [REDACTED PAN] b [REDACTED PAN] c [REDACTED PAN] d", redacted);
        Assert.Equal("/v1/customers/[REDACTED PAN]", CardDataDetector.Redact("/v1/customers/5555555555554444"));
    }

    [Theory]
    [InlineData("cvc", "card security code")]
    [InlineData("CVV", "card security code")]
    [InlineData("cvv2", "card security code")]
    [InlineData("cvc2", "card security code")]
    [InlineData("csc", "card security code")]
    [InlineData("cvn", "card security code")]
    [InlineData("cid", "card security code")]
    [InlineData("cvv_code", "card security code")]
    [InlineData("card-cvv", "card security code")]
    [InlineData("card.cvc", "card security code")]
    [InlineData("Card CVC", "card security code")]
    [InlineData("verification_value", "card security code")]
    [InlineData("security_code", "card security code")]
    [InlineData("card_verification_value", "card security code")]
    [InlineData("\uff43\uff56\uff43", "card security code")]   // full-width
    [InlineData("c\u200bv\u200bv", "card security code")]     // zero-width spaces
    [InlineData("exp_month", "card expiry")]
    [InlineData("exp_year", "card expiry")]
    [InlineData("expiry", "card expiry")]
    [InlineData("card.expiry_date", "card expiry")]
    [InlineData("expirationMonth", "card expiry")]
    [InlineData("card_number", "card number")]
    [InlineData("cc-no", "card number")]
    [InlineData("pan", "card number")]
    [InlineData("name", null)]
    [InlineData("number", null)]
    [InlineData("payment_number", null)]
    [InlineData("description", null)]
    [InlineData("expires_at", null)]
    [InlineData("email", null)]
    [InlineData("metadata", null)]
    public void CardDataKeyKind_MatchesNormalisedNames(string name, string? kind) => Assert.Equal(kind, CardDataDetector.CardDataKeyKind(name));
}

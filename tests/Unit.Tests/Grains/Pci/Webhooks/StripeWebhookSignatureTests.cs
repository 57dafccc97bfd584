using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Platform.Grains.Pci.Webhooks;

namespace Platform.Unit.Tests.Grains.Pci.Webhooks;

public sealed class StripeWebhookSignatureTests
{
    private const string Secret = "whsec_current";
    private const string Previous = "whsec_previous";
    private const string Body = """{"id":"evt_1","object":"event","type":"invoice.paid","created":1795431546}""";
    private const long Now = 1_795_431_600;
    private static readonly string[] Secrets = [Secret, Previous];

    [Fact]
    public void Check_SignedWithCurrentOrPreviousSecret_Accepts()
    {
        Assert.Null(StripeWebhookSignature.Check(Body, Header(Secret, Now), Secrets, 300, Now));
        Assert.Null(StripeWebhookSignature.Check(Body, Header(Previous, Now - 300), Secrets, 300, Now));
    }

    [Fact]
    public void Check_OneOfSeveralV1Signatures_Accepts()
    {
        var header = $"t={Now},v1={Hmac("whsec_other", Now, Body)},v1={Hmac(Secret, Now, Body)}";

        Assert.Null(StripeWebhookSignature.Check(Body, header, Secrets, 300, Now));
    }

    [Theory]
    [InlineData(null, "signature_missing")]
    [InlineData("", "signature_missing")]
    [InlineData("t=1795431600", "signature_missing")]
    [InlineData("t=1795431600,v0=abc", "signature_missing")]
    [InlineData("t=not-a-number,v1=abc", "signature_invalid")]
    [InlineData("garbage", "signature_missing")]
    [InlineData("t=1795431600,v1=abc,junk", "signature_invalid")]
    [InlineData("t=1795431600,v1=00", "signature_invalid")]
    public void Check_MissingOrMalformedHeader_Refuses(string? header, string code) =>
        Assert.Equal(code, StripeWebhookSignature.Check(Body, header, Secrets, 300, Now));

    [Fact]
    public void Check_TamperedBodyOrUnknownSecret_IsInvalid()
    {
        Assert.Equal("signature_invalid", StripeWebhookSignature.Check(Body.Replace("invoice.paid", "invoice.void"), Header(Secret, Now), Secrets, 300, Now));
        Assert.Equal("signature_invalid", StripeWebhookSignature.Check(Body, Header("whsec_unknown", Now), Secrets, 300, Now));
        // A stale timestamp with a wrong secret is "invalid", not "stale": nothing says the sender was Stripe.
        Assert.Equal("signature_invalid", StripeWebhookSignature.Check(Body, Header("whsec_unknown", Now - 301), Secrets, 300, Now));
    }

    [Fact]
    public void Check_TimestampJustOutsideTolerance_IsStale()
    {
        Assert.Equal("timestamp_out_of_tolerance", StripeWebhookSignature.Check(Body, Header(Secret, Now - 301), Secrets, 300, Now));
        Assert.Equal("timestamp_out_of_tolerance", StripeWebhookSignature.Check(Body, Header(Secret, Now + 301), Secrets, 300, Now));
        Assert.Null(StripeWebhookSignature.Check(Body, Header(Secret, Now - 300), Secrets, 300, Now));
    }

    private static string Header(string secret, long timestamp) => $"t={timestamp},v1={Hmac(secret, timestamp, Body)}";

    private static string Hmac(string secret, long timestamp, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret),
            Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + "." + body)));
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Platform.Grains.Pci.Webhooks;
using Stripe;

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

    /// <summary>The check is ours (no per-delivery allocations of Stripe.net's); it must answer as Stripe.net's does.</summary>
    [Fact]
    public void Check_AnyHeader_AgreesWithStripeNet()
    {
        var good = Hmac(Secret, Now, Body);
        var bodies = new[] { Body, Body + " ", "{\"id\":\"evt_é\",\"note\":\"ünïcødé ✓ 𝄞\"}", "" };
        var headers = new List<string>
        {
            $"t={Now},v1={good}",
            $" t={Now} , v1={good} ",
            $"t={Now},v1={good.ToUpperInvariant()}",
            $"t={Now},v1={good[..^1]}",
            $"t={Now},v1={good}0",
            $"t=0{Now},v1={good}",
            $"t={Now},v0={good},v1=00",
            $"t={Now},v1=00,v1={good}",
            $"t={Now - 1},v1={good}",
            $"t={Now},v1={Hmac(Previous, Now, Body)}",
            $"t={Now},v1={Hmac("whsec_other", Now, Body)}",
            $"t={Now},v1={good},x=y=z",
        };
        foreach (var body in bodies)
        {
            headers.Add($"t={Now},v1={Hmac(Secret, Now, body)}");
            headers.Add($"t=0{Now},v1={Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes($"0{Now}.{body}")))}");
        }
        foreach (var body in bodies)
        {
            foreach (var header in headers)
            {
                var stripe = Secrets.Any(secret => StripeNetAccepts(body, header, secret));
                Assert.True(stripe == (StripeWebhookSignature.Check(body, header, Secrets, 300, Now) is null), $"{header} on {body}");
            }
        }
    }

    private static bool StripeNetAccepts(string body, string header, string secret)
    {
        try
        {
            EventUtility.ValidateSignature(body, header, secret, 300, Now);
            return true;
        }
        catch (StripeException)
        {
            return false;
        }
    }

    private static string Header(string secret, long timestamp) => $"t={timestamp},v1={Hmac(secret, timestamp, Body)}";

    private static string Hmac(string secret, long timestamp, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret),
            Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + "." + body)));
}

using System.Net;
using Platform.Grains.Webhooks;

namespace Platform.Unit.Tests.Grains.Webhooks;

public sealed class WebhookRulesTests
{
    private static readonly WebhookOptions Defaults = new();

    [Fact]
    public void RetrySchedule_Defaults_CeilingsDoubleFromOneHourToEight()
    {
        Assert.Equal([TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(4), TimeSpan.FromHours(8)],
            Enumerable.Range(1, 4).Select(n => RetrySchedule.Ceiling(Defaults, n)));
        Assert.Equal(TimeSpan.FromHours(12), RetrySchedule.Ceiling(Defaults, 10));
    }

    [Fact]
    public void RetrySchedule_FullJitter_SpansZeroToTheCeiling()
    {
        Assert.Equal(TimeSpan.Zero, RetrySchedule.Delay(Defaults, 2, 0));
        Assert.Equal(TimeSpan.FromHours(1), RetrySchedule.Delay(Defaults, 2, 0.5));
        Assert.True(RetrySchedule.Delay(Defaults, 4, 0.999999) < TimeSpan.FromHours(8));
    }

    [Fact]
    public void ShouldDisable_AfterFailingForDisableAfter_Only()
    {
        var since = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.False(RetrySchedule.ShouldDisable(Defaults, null, since.AddDays(10)));
        Assert.False(RetrySchedule.ShouldDisable(Defaults, since, since.AddDays(3).AddSeconds(-1)));
        Assert.True(RetrySchedule.ShouldDisable(Defaults, since, since.AddDays(3)));
    }

    [Theory]
    [InlineData("93.184.215.14", true)]
    [InlineData("8.8.8.8", true)]
    [InlineData("2606:4700::1111", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.0.0.1", false)]
    [InlineData("172.31.255.255", false)]
    [InlineData("172.32.0.1", true)]
    [InlineData("192.168.0.1", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("100.127.255.255", false)]
    [InlineData("100.128.0.1", true)]
    [InlineData("169.254.169.254", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("255.255.255.255", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("::1", false)]
    [InlineData("::", false)]
    [InlineData("fd12:3456::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("::ffff:127.0.0.1", false)]
    [InlineData("::ffff:8.8.8.8", true)]
    [InlineData("64:ff9b::a00:1", false)]
    [InlineData("2002:a00:1::1", false)]
    [InlineData("2001:db8::1", false)]
    public void IsPublic_KnowsPrivateAndReservedRanges(string address, bool expected) =>
        Assert.Equal(expected, WebhookAddressGuard.IsPublic(IPAddress.Parse(address)));

    [Fact]
    public void Signature_IsStripesScheme_OneV1PerSecret()
    {
        // Stripe's documented example computation: HMAC-SHA256(secret, "t.body"), lowercase hex.
        var header = WebhookSignature.Header(1_700_000_000, "{}", ["whsec_a", "whsec_b"]);
        var parts = header.Split(',');
        Assert.Equal("t=1700000000", parts[0]);
        Assert.Equal($"v1={WebhookSignature.Compute("whsec_a", 1_700_000_000, "{}")}", parts[1]);
        Assert.Equal($"v1={WebhookSignature.Compute("whsec_b", 1_700_000_000, "{}")}", parts[2]);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData("whsec_a"u8.ToArray(), "1700000000.{}"u8.ToArray())),
            WebhookSignature.Compute("whsec_a", 1_700_000_000, "{}"));
    }
}

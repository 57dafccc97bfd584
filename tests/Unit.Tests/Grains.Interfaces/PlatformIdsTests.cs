using Platform.Grains.Interfaces.Common;

namespace Platform.Unit.Tests.Grains.Interfaces;

public sealed class PlatformIdsTests
{
    [Fact]
    public void NewIds_CarryTheirPrefixAndAreRecognised()
    {
        Assert.True(PlatformIds.IsTenantId(PlatformIds.NewTenantId()));
        Assert.True(PlatformIds.IsCustomerId(PlatformIds.NewCustomerId()));
        Assert.True(PlatformIds.IsApiKeyId(PlatformIds.NewApiKeyId()));
        Assert.False(PlatformIds.IsCustomerId(PlatformIds.NewTenantId()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("cus_")]
    [InlineData("cus_abc/def")]
    [InlineData("cus_abc def")]
    [InlineData("cus_ü")]
    [InlineData("CUS_abc")]
    public void IsCustomerId_RejectsMalformedValues(string? value) => Assert.False(PlatformIds.IsCustomerId(value));

    [Fact]
    public void CustomerKey_ParsesBackIntoItsParts()
    {
        var tenant = PlatformIds.NewTenantId();
        var customer = PlatformIds.NewCustomerId();

        var (parsedTenant, parsedCustomer) = PlatformIds.ParseCustomerKey(PlatformIds.CustomerKey(tenant, customer));

        Assert.Equal(tenant, parsedTenant);
        Assert.Equal(customer, parsedCustomer);
    }

    [Theory]
    [InlineData("ten_abc")]
    [InlineData("ten_abc/")]
    [InlineData("cus_abc/ten_abc")]
    [InlineData("/cus_abc")]
    public void ParseCustomerKey_RejectsOtherShapes(string key) =>
        Assert.Throws<ArgumentException>(() => PlatformIds.ParseCustomerKey(key));

    [Fact]
    public void DerivedIds_AreStablePerTenantAndKey_AndDifferAcrossTenants()
    {
        var a = PlatformIds.CustomerIdFor("ten_A", "key-1");

        Assert.Equal(a, PlatformIds.CustomerIdFor("ten_A", "key-1"));
        Assert.NotEqual(a, PlatformIds.CustomerIdFor("ten_B", "key-1"));
        Assert.NotEqual(a, PlatformIds.CustomerIdFor("ten_A", "key-2"));
        Assert.True(PlatformIds.IsCustomerId(a));
    }

    [Fact]
    public void RandomToken_HasTheRequestedLengthAndVaries()
    {
        var tokens = Enumerable.Range(0, 100).Select(_ => PlatformIds.RandomToken(20)).ToHashSet();
        Assert.Equal(100, tokens.Count);
        Assert.All(tokens, t => Assert.Equal(20, t.Length));
    }

    [Fact]
    public void DraftFingerprint_SeparatesFieldBoundaries()
    {
        Assert.NotEqual(DraftFingerprint.Of("ab", "c"), DraftFingerprint.Of("a", "bc"));
        Assert.NotEqual(DraftFingerprint.Of(null, "x"), DraftFingerprint.Of("", "x"));
        Assert.Equal(
            DraftFingerprint.Of(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }),
            DraftFingerprint.Of(new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" }));
    }
}

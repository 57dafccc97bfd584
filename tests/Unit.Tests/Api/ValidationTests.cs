using Platform.Api.Common;

namespace Platform.Unit.Tests.Api;

public sealed class ValidationTests
{
    [Theory]
    [InlineData("jenny@example.com", true)]
    [InlineData("a.b+c@sub.example.co.uk", true)]
    [InlineData("jenny@example", false)]
    [InlineData("jenny example@x.com", false)]
    [InlineData("@example.com", false)]
    [InlineData("a@@example.com", false)]
    public void Email_AcceptsAddressesOnly(string value, bool valid) =>
        Assert.Equal(valid, Validation.Email("email", value) is null);

    [Fact]
    public void Metadata_EnforcesStripeLimits()
    {
        Assert.Null(Validation.Metadata(new Dictionary<string, string> { ["plan"] = "pro" }));
        Assert.NotNull(Validation.Metadata(Enumerable.Range(0, 51).ToDictionary(i => $"k{i}", _ => "v")));
        Assert.NotNull(Validation.Metadata(new Dictionary<string, string> { [new string('k', 41)] = "v" }));
        Assert.NotNull(Validation.Metadata(new Dictionary<string, string> { ["k"] = new string('v', 501) }));
        Assert.NotNull(Validation.Metadata(new Dictionary<string, string> { ["k"] = "" }));
        Assert.Null(Validation.Metadata(new Dictionary<string, string> { ["k"] = "" }, allowEmptyValues: true));
    }

    [Theory]
    [InlineData("ok-key", true)]
    [InlineData("", false)]
    [InlineData("line\nbreak", false)]
    public void IdempotencyKey_IsPrintableAndBounded(string value, bool valid) =>
        Assert.Equal(valid, Validation.IdempotencyKey(value) is null);

    [Fact]
    public void IdempotencyKey_Over255Characters_IsRefused() =>
        Assert.NotNull(Validation.IdempotencyKey(new string('k', 256)));
}

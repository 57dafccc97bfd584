using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Platform.Grains.Common;

namespace Platform.Unit.Tests.Grains;

public sealed class FieldProtectorOptionsValidatorTests
{
    private static readonly string Key = Convert.ToBase64String(new byte[32]);

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    [InlineData("Test")]
    public void MissingDataKey_OutsideDevelopment_Fails(string environment)
    {
        var result = Validator(environment).Validate(null, new FieldProtectorOptions());

        Assert.True(result.Failed);
        Assert.Contains("Platform:DataKey is required", result.FailureMessage);
    }

    [Fact]
    public void MissingDataKey_InDevelopment_Passes() =>
        Assert.True(Validator(Environments.Development).Validate(null, new FieldProtectorOptions()).Succeeded);

    [Fact]
    public void ValidKeys_Pass() =>
        Assert.True(Validator(Environments.Production).Validate(null,
            new FieldProtectorOptions { DataKey = Key, DataKeyId = "k2", DataKeys = { ["k1"] = Key } }).Succeeded);

    [Theory]
    [InlineData("not base64!", "k1", "is not base64")]
    [InlineData("AAAA", "k1", "must be 32 bytes")]
    [InlineData(null, "bad:id", "must be 1 to 32 characters")]
    public void MalformedKeys_Fail_WithoutEchoingTheKey(string? dataKey, string keyId, string expected)
    {
        var options = new FieldProtectorOptions { DataKey = dataKey ?? Key, DataKeyId = keyId };

        var result = Validator(Environments.Production).Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage);
        Assert.DoesNotContain(options.DataKey, result.FailureMessage);
    }

    [Fact]
    public void MalformedRetiredKey_Fails() =>
        Assert.True(Validator(Environments.Production).Validate(null,
            new FieldProtectorOptions { DataKey = Key, DataKeys = { ["old"] = "AAAA" } }).Failed);

    private static FieldProtectorOptionsValidator Validator(string environment) => new(new HostingEnvironment { EnvironmentName = environment });
}

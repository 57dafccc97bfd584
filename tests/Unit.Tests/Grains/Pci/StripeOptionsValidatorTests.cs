using Platform.Grains.Pci.Outbound;

namespace Platform.Unit.Tests.Grains.Pci;

public sealed class StripeOptionsValidatorTests
{
    [Fact]
    public void Validate_WithoutSecretKey_FailsNamingTheSetting()
    {
        var result = new StripeOptionsValidator().Validate(null, new StripeOptions { PublishableKey = "pk_test_x" });

        Assert.True(result.Failed);
        Assert.Contains("Stripe:SecretKey is required", result.FailureMessage);
    }

    [Fact]
    public void Validate_AGoodConfiguration_Succeeds()
    {
        var result = new StripeOptionsValidator().Validate(null,
            new StripeOptions { SecretKey = "sk_test_x", PublishableKey = "pk_test_x", ApiBase = "http://127.0.0.1:12111" });

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void ToString_NeverShowsTheSecretKey()
    {
        Assert.DoesNotContain("sk_live_secret", new StripeOptions { SecretKey = "sk_live_secret" }.ToString());
    }
}

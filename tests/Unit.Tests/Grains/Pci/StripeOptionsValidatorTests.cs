using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Platform.Grains.Pci.Outbound;

namespace Platform.Unit.Tests.Grains.Pci;

public sealed class StripeOptionsValidatorTests
{
    private const string WebhookSecret = "whsec_test_x";

    [Fact]
    public void Validate_WithoutSecretKey_FailsNamingTheSetting()
    {
        var result = Validator(Environments.Development).Validate(null, new StripeOptions { PublishableKey = "pk_test_x", WebhookSecret = WebhookSecret });

        Assert.True(result.Failed);
        Assert.Contains("Stripe:SecretKey is required", result.FailureMessage);
    }

    [Fact]
    public void Validate_AGoodConfiguration_Succeeds()
    {
        var result = Validator(Environments.Development).Validate(null,
            new StripeOptions { SecretKey = "sk_test_x", PublishableKey = "pk_test_x", WebhookSecret = WebhookSecret, ApiBase = "http://127.0.0.1:12111" });

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Theory]
    [InlineData("sk_live_abc", "Development")]
    [InlineData("rk_live_abc", "Development")]
    [InlineData("sk_live_abc", "Staging")]
    [InlineData("rk_live_abc", "Test")]
    public void Validate_LiveKeyOutsideProduction_Fails(string secretKey, string environment)
    {
        var result = Validator(environment).Validate(null, new StripeOptions { SecretKey = secretKey, PublishableKey = "pk_live_x", WebhookSecret = WebhookSecret });

        Assert.True(result.Failed);
        Assert.Contains($"Stripe:SecretKey is a live-mode key (sk_live_…/rk_live_…) but the environment is '{environment}'", result.FailureMessage);
    }

    [Theory]
    [InlineData("sk_test_abc")]
    [InlineData("rk_test_abc")]
    [InlineData("sk_abc")]
    public void Validate_NonLiveKeyInProduction_Fails(string secretKey)
    {
        var result = Validator(Environments.Production).Validate(null, new StripeOptions { SecretKey = secretKey, PublishableKey = "pk_test_x", WebhookSecret = WebhookSecret });

        Assert.True(result.Failed);
        Assert.Contains("Stripe:SecretKey is not a live-mode key (sk_live_… or rk_live_…) but the environment is Production", result.FailureMessage);
    }

    [Theory]
    [InlineData("sk_live_abc")]
    [InlineData("rk_live_abc")]
    public void Validate_LiveKeysInProduction_Succeed(string secretKey)
    {
        var result = Validator(Environments.Production).Validate(null, new StripeOptions { SecretKey = secretKey, PublishableKey = "pk_live_x", WebhookSecret = WebhookSecret });

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_PublishableKeyOfTheOtherMode_Fails()
    {
        var result = Validator(Environments.Production).Validate(null, new StripeOptions { SecretKey = "sk_live_abc", PublishableKey = "pk_test_x", WebhookSecret = WebhookSecret });

        Assert.True(result.Failed);
        Assert.Contains("different modes", result.FailureMessage);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(" ")]
    public void Validate_WithoutWebhookSecret_Fails(string? webhookSecret)
    {
        var result = Validator(Environments.Development).Validate(null, new StripeOptions { SecretKey = "sk_test_x", PublishableKey = "pk_test_x", WebhookSecret = webhookSecret });

        Assert.True(result.Failed);
        Assert.Contains("Stripe:WebhookSecret is required on a silo with the pci role", result.FailureMessage);
    }

    [Fact]
    public void Validate_WebhookSecretNotWhsec_Fails()
    {
        var result = Validator(Environments.Development).Validate(null, new StripeOptions { SecretKey = "sk_test_x", PublishableKey = "pk_test_x", WebhookSecret = "secret" });

        Assert.True(result.Failed);
        Assert.Contains("whsec_", result.FailureMessage);
    }

    [Fact]
    public void ToString_NeverShowsTheSecrets()
    {
        var text = new StripeOptions { SecretKey = "sk_live_secret", WebhookSecret = "whsec_secret" }.ToString();

        Assert.DoesNotContain("sk_live_secret", text);
        Assert.DoesNotContain("whsec_secret", text);
    }

    private static StripeOptionsValidator Validator(string environment) => new(new HostingEnvironment { EnvironmentName = environment });
}

using Platform.Api.Auth;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Tenants;

namespace Platform.Unit.Tests.Grains;

public sealed class ApiKeySecretsTests
{
    [Fact]
    public void NewSecret_CarriesItsKeyId_WhichTheApiRecovers()
    {
        var keyId = PlatformIds.NewApiKeyId();

        var secret = ApiKeySecrets.NewSecret(keyId);

        Assert.StartsWith("sk_", secret);
        Assert.Equal(keyId, TenantKeyAuthenticationHandler.KeyIdOf(secret));
        Assert.True(secret.Length >= 3 + 20 + 1 + 43);
    }

    [Fact]
    public void Matches_OnlyTheSameSecretForTheSameKey()
    {
        var keyId = PlatformIds.NewApiKeyId();
        var secret = ApiKeySecrets.NewSecret(keyId);
        var hash = ApiKeySecrets.Hash(keyId, secret);

        Assert.True(ApiKeySecrets.Matches(keyId, secret, hash));
        Assert.False(ApiKeySecrets.Matches(keyId, secret + "x", hash));
        Assert.False(ApiKeySecrets.Matches(PlatformIds.NewApiKeyId(), secret, hash));
    }

    [Theory]
    [InlineData("sk_")]
    [InlineData("sk__abc")]
    [InlineData("sk_abc")]
    [InlineData("sk_a-b_c")]
    public void KeyIdOf_MalformedTokens_IsNull(string token) => Assert.Null(TenantKeyAuthenticationHandler.KeyIdOf(token));

    [Fact]
    public void Hint_ShowsOnlyTheLastFourCharacters()
    {
        var secret = ApiKeySecrets.NewSecret(PlatformIds.NewApiKeyId());
        var hint = ApiKeySecrets.Hint(secret);
        Assert.Equal("sk_…" + secret[^4..], hint);
    }
}

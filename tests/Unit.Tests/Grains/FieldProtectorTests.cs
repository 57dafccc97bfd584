using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Platform.Grains.Common;

namespace Platform.Unit.Tests.Grains;

public sealed class FieldProtectorTests
{
    private static readonly string KeyOne = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly string KeyTwo = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static FieldProtector Protector(string current, string currentId, Dictionary<string, string>? old = null) =>
        new(Options.Create(new FieldProtectorOptions { DataKey = current, DataKeyId = currentId, DataKeys = old ?? [] }));

    [Fact]
    public void Protect_ThenUnprotect_RoundTripsAndNamesTheKey()
    {
        var protector = Protector(KeyOne, "k1");
        var stored = protector.Protect("whsec_secret", "purpose");
        Assert.StartsWith("k1:", stored);
        Assert.Equal(4, stored.Split(':').Length);
        Assert.DoesNotContain("secret", stored);
        Assert.Equal("whsec_secret", protector.Unprotect(stored, "purpose"));
        Assert.NotEqual(stored, protector.Protect("whsec_secret", "purpose"));
    }

    [Fact]
    public void Unprotect_AfterKeyRotation_OpensOldValuesWithTheRetiredKey()
    {
        var stored = Protector(KeyOne, "k1").Protect("value", "p");
        var rotated = Protector(KeyTwo, "k2", new() { ["k1"] = KeyOne });
        Assert.Equal("value", rotated.Unprotect(stored, "p"));
        Assert.StartsWith("k2:", rotated.Protect("value", "p"));
        Assert.Throws<CryptographicException>(() => Protector(KeyTwo, "k2").Unprotect(stored, "p"));
    }

    [Fact]
    public void Unprotect_WithAnotherPurposeOrTamperedText_Throws()
    {
        var protector = Protector(KeyOne, "k1");
        var stored = protector.Protect("value", "webhook_secret:ten_a/we_a");
        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(stored, "webhook_secret:ten_b/we_b"));
        var parts = stored.Split(':');
        parts[2] = (parts[2][0] == 'A' ? 'B' : 'A') + parts[2][1..];
        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(string.Join(':', parts), "webhook_secret:ten_a/we_a"));
        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect("k1:not base64!:x:y", "webhook_secret:ten_a/we_a"));
    }

    [Fact]
    public void Protect_WithoutAKey_RefusesAndAWrongSizedKeyFailsAtStart()
    {
        var none = new FieldProtector(Options.Create(new FieldProtectorOptions()));
        Assert.False(none.CanProtect);
        Assert.Throws<InvalidOperationException>(() => none.Protect("x", "p"));
        Assert.Throws<InvalidOperationException>(() => Protector(Convert.ToBase64String(new byte[16]), "k1"));
    }
}

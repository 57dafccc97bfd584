using System.Security.Cryptography;
using Platform.Grains.DataProtection;

namespace Platform.Unit.Tests.Grains.DataProtection;

public sealed class SubjectKeyTests
{
    private static readonly byte[] _keyBytes = RandomNumberGenerator.GetBytes(32);

    [Fact]
    public void Protect_ThenUnprotect_RoundTripsWithoutShowingThePlaintext()
    {
        var key = new SubjectKey("customer:ten_a/cus_a", _keyBytes);
        var stored = key.Protect("ada@example.com", "customer.email");
        Assert.True(SubjectKey.IsProtected(stored));
        Assert.DoesNotContain("ada", stored, StringComparison.Ordinal);
        Assert.Equal("ada@example.com", key.Unprotect(stored, "customer.email"));
        Assert.NotEqual(stored, key.Protect("ada@example.com", "customer.email"));
    }

    [Fact]
    public void Unprotect_InAnotherFieldOrSubject_Fails()
    {
        var stored = new SubjectKey("customer:ten_a/cus_a", _keyBytes).Protect("Ada", "customer.name");
        Assert.ThrowsAny<CryptographicException>(() => new SubjectKey("customer:ten_a/cus_a", _keyBytes).Unprotect(stored, "customer.email"));
        Assert.ThrowsAny<CryptographicException>(() => new SubjectKey("customer:ten_a/cus_b", _keyBytes).Unprotect(stored, "customer.name"));
        Assert.ThrowsAny<CryptographicException>(() => new SubjectKey("customer:ten_a/cus_a", RandomNumberGenerator.GetBytes(32)).Unprotect(stored, "customer.name"));
    }

    [Fact]
    public void IsProtected_PlaintextAndNull_AreNot()
    {
        Assert.False(SubjectKey.IsProtected(null));
        Assert.False(SubjectKey.IsProtected("ada@example.com"));
        Assert.False(SubjectKey.IsProtected("k1:nonce:cipher:tag"));
    }
}

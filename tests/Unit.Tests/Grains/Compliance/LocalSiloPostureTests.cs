using System.Security.Cryptography;
using Platform.Grains.Compliance;

namespace Platform.Unit.Tests.Grains.Compliance;

public sealed class LocalSiloPostureTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData("sk_test_abc", "test")]
    [InlineData("rk_test_abc", "test")]
    [InlineData("sk_live_abc", "live")]
    [InlineData("rk_live_abc", "live")]
    [InlineData("pk_live_abc", "unknown")]
    public void ModeOf_ReadsTheKeyPrefix(string? key, string? mode) => Assert.Equal(mode, LocalSiloPosture.ModeOf(key));

    [Fact]
    public void IsWeak_RandomKeyIsStrong_ZeroShortOrGarbledKeysAreWeak()
    {
        Assert.False(LocalSiloPosture.IsWeak(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));
        Assert.False(LocalSiloPosture.IsWeak(null));
        Assert.True(LocalSiloPosture.IsWeak(Convert.ToBase64String(new byte[32])));
        Assert.True(LocalSiloPosture.IsWeak(Convert.ToBase64String(RandomNumberGenerator.GetBytes(16))));
        Assert.True(LocalSiloPosture.IsWeak("not base64!"));
    }
}

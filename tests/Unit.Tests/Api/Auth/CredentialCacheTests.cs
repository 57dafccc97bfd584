using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Platform.Api.Auth;
using Platform.Grains.Interfaces.Tenants;

namespace Platform.Unit.Tests.Api.Auth;

public sealed class CredentialCacheTests
{
    private const string Secret = "sk_AAAAAAAAAAAAAAAAAAAA_secret";
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    private CredentialCache NewCache(int ttlSeconds = 60, int maxEntries = 100)
    {
        var cache = new CredentialCache(Options.Create(new CredentialCacheSettings { TimeToLiveSeconds = ttlSeconds, MaxEntries = maxEntries }), _clock);
        cache.LiveUntil(_clock.GetUtcNow() + TimeSpan.FromHours(1));
        return cache;
    }

    private static void AddKey(CredentialCache cache, string secret, string keyId = "key_1", string tenantId = "ten_1") =>
        cache.Add(CredentialDigest.Of(secret), keyId, tenantId, ApiKeyRole.Read, customerId: null, cache.BeginVerification());

    [Fact]
    public void TryGet_AfterAdd_AnswersThePrincipal_UntilTheLifetimeEnds()
    {
        var cache = NewCache(ttlSeconds: 60);
        AddKey(cache, Secret);

        Assert.True(cache.TryGet(CredentialDigest.Of(Secret), out var hit));
        Assert.Equal(("key_1", "ten_1", ApiKeyRole.Read), (hit.CredentialId, hit.TenantId, hit.Role));
        _clock.Advance(TimeSpan.FromSeconds(60));
        Assert.False(cache.TryGet(CredentialDigest.Of(Secret), out _));
    }

    [Fact]
    public void TimeToLive_IsCappedAtSixtySeconds()
    {
        var cache = NewCache(ttlSeconds: 3600);
        AddKey(cache, Secret);

        _clock.Advance(TimeSpan.FromSeconds(61));

        Assert.False(cache.TryGet(CredentialDigest.Of(Secret), out _));
    }

    [Fact]
    public void OtherSecretOfTheSameKeyId_IsNotAnswered()
    {
        var cache = NewCache();
        AddKey(cache, Secret);

        Assert.False(cache.TryGet(CredentialDigest.Of(Secret + "x"), out _));
    }

    [Theory]
    [InlineData("key_1")]
    [InlineData("ten_1")]
    public void Revoke_ByKeyOrTenant_ForgetsOnlyThatKeyOrThatTenantsKeys(string subject)
    {
        var cache = NewCache();
        AddKey(cache, Secret, "key_1", "ten_1");
        AddKey(cache, "sk_other_1", "key_2", "ten_2");

        cache.Revoke(subject);

        Assert.False(cache.TryGet(CredentialDigest.Of(Secret), out _));
        Assert.True(cache.TryGet(CredentialDigest.Of("sk_other_1"), out _));
    }

    [Fact]
    public void Add_AfterARevocationThatRacedTheVerification_IsNotKept()
    {
        var cache = NewCache();
        var generation = cache.BeginVerification();
        cache.Revoke("key_1");

        cache.Add(CredentialDigest.Of(Secret), "key_1", "ten_1", ApiKeyRole.Read, customerId: null, generation);

        Assert.False(cache.TryGet(CredentialDigest.Of(Secret), out _));
    }

    [Fact]
    public void WithoutALiveRevocationFeed_NothingIsAnswered()
    {
        var cache = NewCache();
        AddKey(cache, Secret);

        cache.LiveUntil(_clock.GetUtcNow());

        Assert.False(cache.TryGet(CredentialDigest.Of(Secret), out _));
        AddKey(cache, Secret);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Size_IsBounded()
    {
        var cache = NewCache(maxEntries: 3);
        for (var i = 0; i < 10; i++)
        {
            AddKey(cache, Secret + i, "key_" + i);
        }

        Assert.InRange(cache.Count, 1, 3);
        Assert.True(cache.TryGet(CredentialDigest.Of(Secret + 9), out _));
    }
}

using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Platform.Api.Auth;

/// <summary>
/// Verified credentials this API host has seen (digest → what it speaks for), so a request with a known
/// credential needs no call to the cluster. Safe because revocations are pushed here
/// (<see cref="CredentialRevocationListener"/>): the cache answers only while that feed is live, a notice
/// removes the credential at once, and a verification that raced with a notice is not kept
/// (<see cref="BeginVerification"/>). Bounded in size (cleared when full) and in age (at most 60 s).
/// </summary>
public sealed class CredentialCache(IOptions<CredentialCacheSettings> options, TimeProvider clock)
{
    private readonly CredentialCacheSettings _settings = options.Value;
    private readonly ConcurrentDictionary<CredentialDigest, CachedCredential> _entries = new();
    private long _generation;
    private long _liveUntilTicks;

    public int Count => _entries.Count;

    public bool TryGet(CredentialDigest digest, out CachedCredential credential)
    {
        credential = null!;
        if (!_entries.TryGetValue(digest, out var found))
        {
            return false;
        }
        var now = clock.GetUtcNow();
        if (found.Expires <= now || now.UtcTicks >= Interlocked.Read(ref _liveUntilTicks))
        {
            _entries.TryRemove(new KeyValuePair<CredentialDigest, CachedCredential>(digest, found));
            return false;
        }
        credential = found;
        return true;
    }

    /// <summary>Taken before asking a credential's grain; handed back to <see cref="Add"/>.</summary>
    public long BeginVerification() => Interlocked.Read(ref _generation);

    /// <summary>Remembers a verified credential, unless a revocation arrived since <paramref name="generation"/>
    /// (the grain may have answered before the revocation, and the notice has already gone by).</summary>
    public void Add(CredentialDigest digest, string credentialId, string tenantId, Grains.Interfaces.Tenants.ApiKeyRole? role,
        string? customerId, long generation)
    {
        var now = clock.GetUtcNow();
        if (!_settings.Enabled || _settings.TimeToLive <= TimeSpan.Zero || now.UtcTicks >= Interlocked.Read(ref _liveUntilTicks))
        {
            return;
        }
        if (_entries.Count >= _settings.MaxEntries)
        {
            _entries.Clear();
        }
        var entry = new CachedCredential(credentialId, tenantId, role, customerId, now + _settings.TimeToLive);
        _entries[digest] = entry;
        // Revocations bump the generation before they sweep: either the sweep sees this entry, or this sees the bump.
        if (Interlocked.Read(ref _generation) != generation)
        {
            _entries.TryRemove(new KeyValuePair<CredentialDigest, CachedCredential>(digest, entry));
        }
    }

    /// <summary>Forgets every credential of this key, customer or tenant id.</summary>
    public void Revoke(string subjectId)
    {
        Interlocked.Increment(ref _generation);
        foreach (var (digest, entry) in _entries)
        {
            if (entry.CredentialId == subjectId || entry.TenantId == subjectId || entry.CustomerId == subjectId)
            {
                _entries.TryRemove(digest, out _);
            }
        }
    }

    public void Clear()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }

    /// <summary>The revocation feed is known to work until <paramref name="until"/>; after it the cache answers nothing.</summary>
    public void LiveUntil(DateTimeOffset until) => Interlocked.Exchange(ref _liveUntilTicks, until.UtcTicks);
}

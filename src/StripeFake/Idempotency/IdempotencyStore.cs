using System.Collections.Concurrent;

namespace Platform.StripeFake.Idempotency;

/// <summary>Idempotency keys scoped per API key, as Stripe scopes them per account and mode.</summary>
internal sealed class IdempotencyStore
{
    private readonly ConcurrentDictionary<(string Scope, string Key), IdempotencyEntry> _entries = new();

    /// <summary>Claims the key for a first request, or returns the existing entry.</summary>
    public (IdempotencyEntry Entry, bool IsNew) Begin(string scope, string key, string fingerprint)
    {
        var fresh = new IdempotencyEntry(fingerprint);
        var entry = _entries.GetOrAdd((scope, key), fresh);
        return (entry, ReferenceEquals(entry, fresh));
    }

    public void Abandon(string scope, string key, IdempotencyEntry entry) =>
        _entries.TryRemove(new KeyValuePair<(string, string), IdempotencyEntry>((scope, key), entry));
}

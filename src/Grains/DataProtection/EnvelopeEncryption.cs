using System.Security.Cryptography;
using Platform.Grains.Common;

namespace Platform.Grains.DataProtection;

/// <summary>
/// Envelope encryption: each data subject has its own data key (<see cref="SubjectKey"/>), stored in
/// platform_data_keys wrapped by the configured key-encryption key (<see cref="FieldProtector"/>,
/// <c>Platform:DataKey</c>, id beside the wrapping). Rotating the configured key rewraps data keys only;
/// shredding a subject's data key erases everything encrypted under it at once (crypto-shredding).
/// </summary>
public sealed class EnvelopeEncryption(FieldProtector keyRing, DataKeyStore store, TimeProvider clock)
{
    /// <summary>The data-key scope of a customer (a <c>ten_…/cus_…</c> key).</summary>
    public static string CustomerScope(string customerKey) => "customer:" + customerKey;

    /// <summary>
    /// The subject's key; created on first use when <paramref name="create"/>. Null when the scope has
    /// no key and none was to be created, or when it was shredded (a shredded scope never gets a new key).
    /// </summary>
    public async Task<SubjectKey?> OpenAsync(string scope, bool create, CancellationToken cancellationToken = default)
    {
        var row = await store.GetAsync(scope, cancellationToken);
        if (row is null && create)
        {
            var fresh = RandomNumberGenerator.GetBytes(32);
            var wrapped = keyRing.Protect(Convert.ToBase64String(fresh), Purpose(scope));
            row = await store.AddAsync(scope, keyRing.CurrentKeyId!, wrapped, clock.GetUtcNow(), cancellationToken);
        }
        return row?.Wrapped is { } stored
            ? new SubjectKey(scope, Convert.FromBase64String(keyRing.Unprotect(stored, Purpose(scope))))
            : null;
    }

    public Task ShredAsync(string scope, CancellationToken cancellationToken = default) =>
        store.ShredAsync(scope, clock.GetUtcNow(), cancellationToken);

    /// <summary>
    /// Rewraps up to <paramref name="limit"/> data keys still under a retired configured key with the
    /// current one; returns how many moved. Stateless and resumable: each batch looks for what is left.
    /// </summary>
    public async Task<int> RewrapBatchAsync(int limit, CancellationToken cancellationToken = default)
    {
        var current = keyRing.CurrentKeyId ?? throw new InvalidOperationException("Platform:DataKey is not configured.");
        var moved = 0;
        foreach (var row in await store.StaleAsync(current, limit, cancellationToken))
        {
            var plain = keyRing.Unprotect(row.Wrapped!, Purpose(row.Scope));
            if (await store.RewrapAsync(row, current, keyRing.Protect(plain, Purpose(row.Scope)), cancellationToken))
            {
                moved++;
            }
        }
        return moved;
    }

    public Task<IReadOnlyDictionary<string, long>> CountByKeyAsync(CancellationToken cancellationToken = default) =>
        store.CountByKekAsync(cancellationToken);

    private static string Purpose(string scope) => "data_key:" + scope;
}

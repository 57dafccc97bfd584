using Microsoft.Extensions.Logging;
using Platform.Grains.Interfaces.Credentials;

namespace Platform.Grains.Credentials;

/// <summary>
/// Fans revocations out to the API hosts' credential caches. Orleans' broadcast channels deliver only to
/// grains with implicit subscriptions, and the API hosts are clients, so this is a grain observer feed:
/// hosts renew their subscription every few seconds and are dropped when they stop (or when a delivery
/// fails). Nothing is stored: a new activation has a new epoch, and a host that sees it drops its whole
/// cache, since notices sent while it was not subscribed are lost.
/// </summary>
public sealed class CredentialRevocationGrain(TimeProvider clock, ILogger<CredentialRevocationGrain> logger)
    : Grain, ICredentialRevocationGrain
{
    /// <summary>A host that has not renewed for this long is gone (hosts renew every 5 s by default).</summary>
    public static readonly TimeSpan SubscriptionLifetime = TimeSpan.FromSeconds(30);

    /// <summary>How long a publish waits for a host's acknowledgement before dropping that host.</summary>
    public static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(2);

    private readonly Dictionary<ICredentialRevocationObserver, DateTimeOffset> _subscribers = [];
    private readonly Guid _epoch = Guid.NewGuid();
    private long _sequence;

    private RevocationCursor Cursor => new(_epoch, _sequence);

    public Task<RevocationCursor> SubscribeAsync(ICredentialRevocationObserver observer)
    {
        _subscribers[observer] = clock.GetUtcNow();
        return Task.FromResult(Cursor);
    }

    public Task UnsubscribeAsync(ICredentialRevocationObserver observer)
    {
        _subscribers.Remove(observer);
        return Task.CompletedTask;
    }

    public async Task PublishAsync(CredentialRevocation revocation)
    {
        _sequence++;
        var cursor = Cursor;
        var now = clock.GetUtcNow();
        var live = _subscribers.Where(s => now - s.Value <= SubscriptionLifetime).Select(s => s.Key).ToList();
        foreach (var expired in _subscribers.Keys.Except(live).ToList())
        {
            _subscribers.Remove(expired);
        }
        var deliveries = live.Select(async observer =>
        {
            try
            {
                await observer.RevokedAsync(cursor, revocation).WaitAsync(DeliveryTimeout, clock);
                return null;
            }
            catch (Exception)
            {
                return observer;
            }
        }).ToList();
        // A host that missed the notice must not keep serving from its cache: dropping it here means its next
        // renewal finds the sequence moved past what it saw, and it clears everything.
        foreach (var failed in (await Task.WhenAll(deliveries)).OfType<ICredentialRevocationObserver>())
        {
            _subscribers.Remove(failed);
            logger.LogWarning("An API host did not acknowledge revocation notice {Sequence}; it clears its credential cache when it renews", cursor.Sequence);
        }
    }
}

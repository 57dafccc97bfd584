using Microsoft.Extensions.Options;
using Platform.Grains.Interfaces.Credentials;

namespace Platform.Api.Auth;

/// <summary>
/// Keeps this host subscribed to revocation notices (<see cref="ICredentialRevocationGrain"/>) and applies
/// them to the <see cref="CredentialCache"/>. Renews every few seconds (observers are not durable); each
/// renewal extends how long the cache may answer, so a host cut off from the feed stops using it. A gap in
/// the notices' sequence, or a new epoch (the feed's grain was reactivated), clears the whole cache.
/// </summary>
public sealed partial class CredentialRevocationListener(
    IClusterClient cluster, CredentialCache cache, IOptions<CredentialCacheSettings> options, TimeProvider clock,
    ILogger<CredentialRevocationListener> logger)
    : BackgroundService, ICredentialRevocationObserver
{
    private readonly Lock _gate = new();
    private RevocationCursor? _seen;
    private ICredentialRevocationObserver? _reference;

    public Task RevokedAsync(RevocationCursor cursor, CredentialRevocation revocation)
    {
        lock (_gate)
        {
            cache.Revoke(revocation.SubjectId);
            if (_seen is not null && _seen.Epoch == cursor.Epoch && cursor.Sequence <= _seen.Sequence + 1)
            {
                _seen = cursor.Sequence > _seen.Sequence ? cursor : _seen;
                return Task.CompletedTask;
            }
            cache.Clear();
            _seen = cursor;
        }
        LogGap(logger, cursor.Sequence);
        return Task.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }
        _reference = cluster.CreateObjectReference<ICredentialRevocationObserver>(this);
        var feed = cluster.GetGrain<ICredentialRevocationGrain>(ICredentialRevocationGrain.Key);
        using var timer = new PeriodicTimer(settings.Renew, clock);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var cursor = await feed.SubscribeAsync(_reference).WaitAsync(settings.Renew, clock, stoppingToken);
                Renewed(cursor, clock.GetUtcNow() + settings.Renew * 2);
                await timer.WaitForNextTickAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogRenewFailed(logger, e);
                await timer.WaitForNextTickAsync(stoppingToken).AsTask().ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_reference is not null)
        {
            try
            {
                await cluster.GetGrain<ICredentialRevocationGrain>(ICredentialRevocationGrain.Key).UnsubscribeAsync(_reference)
                    .WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            }
            catch (Exception e)
            {
                LogRenewFailed(logger, e);
            }
            cluster.DeleteObjectReference<ICredentialRevocationObserver>(_reference);
        }
    }

    private void Renewed(RevocationCursor cursor, DateTimeOffset liveUntil)
    {
        lock (_gate)
        {
            // Another epoch, or notices this host never received: anything cached may be revoked.
            if (_seen is null || _seen.Epoch != cursor.Epoch || cursor.Sequence > _seen.Sequence)
            {
                cache.Clear();
                _seen = cursor;
            }
            cache.LiveUntil(liveUntil);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Revocation notices were missed (now at {Sequence}); the credential cache was cleared")]
    private static partial void LogGap(ILogger logger, long sequence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew the subscription to revocation notices; cached credentials expire from use")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception);
}

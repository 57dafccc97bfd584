using Microsoft.Extensions.Options;
using Platform.Api.Auth;
using Platform.Grains.Interfaces.Security;

namespace Platform.Api.Security;

/// <summary>
/// Keeps this host subscribed to the cluster's address blocklist (<see cref="IAddressBlocklistGrain"/>) the way
/// <see cref="CredentialRevocationListener"/> keeps it subscribed to revocations, on the same renewal period: a
/// change is pushed before the operator's call answers, and every renewal hands over the whole list, so a missed
/// push is repaired within one period. A host that cannot renew keeps the last list it had (blocked stays blocked).
/// </summary>
public sealed partial class AddressBlocklistListener(
    IClusterClient cluster, BlockedAddresses blocked, IOptions<CredentialCacheSettings> options, TimeProvider clock,
    ILogger<AddressBlocklistListener> logger)
    : BackgroundService, IAddressBlocklistObserver
{
    private IAddressBlocklistObserver? _reference;

    public Task ChangedAsync(AddressBlocklist blocklist)
    {
        blocked.Replace(blocklist);
        return Task.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var renew = options.Value.Renew;
        _reference = cluster.CreateObjectReference<IAddressBlocklistObserver>(this);
        var feed = cluster.GetGrain<IAddressBlocklistGrain>(IAddressBlocklistGrain.Key);
        using var timer = new PeriodicTimer(renew, clock);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                blocked.Replace(await feed.SubscribeAsync(_reference).WaitAsync(renew, clock, stoppingToken));
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
                await cluster.GetGrain<IAddressBlocklistGrain>(IAddressBlocklistGrain.Key).UnsubscribeAsync(_reference)
                    .WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            }
            catch (Exception e)
            {
                LogRenewFailed(logger, e);
            }
            cluster.DeleteObjectReference<IAddressBlocklistObserver>(_reference);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew the subscription to the address blocklist; the last list received stays in force")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception);
}

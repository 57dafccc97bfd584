using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Grains.Interfaces.Usage;

namespace Platform.Grains.Usage;

/// <summary>
/// A tenant's usage outbox. While there is work, a grain timer forwards due events (older than the grace
/// delay) in insert order, in batches of at most <see cref="IStripeMeterGrain.MaxBatchSize"/>, and moves
/// the tenant's watermark past each fully accepted prefix. A reminder brings it back after a silo dies.
/// Delivery is at least once; the stable identifiers make Stripe drop the repeats.
/// </summary>
public sealed class UsageForwardingGrain(
    UsageLog log,
    IUsageForwarder forwarder,
    IOptions<UsageOptions> options,
    TimeProvider clock,
    ILogger<UsageForwardingGrain> logger) : Grain, IUsageForwardingGrain, IRemindable
{
    private const string ReminderName = "usage-forwarding";
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);

    private IGrainTimer? _timer;
    private long? _watermark;
    private int _failures;
    private DateTimeOffset _retryAt = DateTimeOffset.MinValue;

    private string TenantId => this.GetPrimaryKeyString();

    public async Task WakeAsync() => await EnsureRunningAsync();

    public async Task ReceiveReminder(string reminderName, TickStatus status) => await EnsureRunningAsync();

    public async Task<int> ForwardDueAsync()
    {
        var forwarded = 0;
        var settings = options.Value;
        _watermark ??= await log.GetForwardedSequenceAsync(TenantId);
        var due = await log.ReadForwardableAsync(TenantId, _watermark.Value, settings.ForwardingGrace,
            settings.ForwardingBatchesPerTick * IStripeMeterGrain.MaxBatchSize);
        if (due.Count == 0)
        {
            return 0;
        }
        var batches = due.Chunk(IStripeMeterGrain.MaxBatchSize).ToArray();
        var sent = await Task.WhenAll(batches.Select(SendAsync));
        // Advance over the accepted prefix only: a failed batch and everything after it go again.
        var last = 0L;
        foreach (var (batch, ok) in batches.Zip(sent))
        {
            if (!ok)
            {
                break;
            }
            last = batch[^1].Sequence;
            forwarded += batch.Length;
        }
        if (last > 0)
        {
            await log.SetForwardedSequenceAsync(TenantId, last);
            _watermark = last;
        }
        if (forwarded < due.Count)
        {
            _failures++;
            var delay = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, settings.ForwardingInterval.Ticks << Math.Min(_failures, 16)));
            _retryAt = clock.GetUtcNow() + delay;
        }
        else
        {
            _failures = 0;
        }
        return forwarded;
    }

    private async Task<bool> SendAsync(ForwardableEvent[] batch)
    {
        Dictionary<string, bool?> stripeBilled;
        try
        {
            stripeBilled = await StripeBilledAsync(batch.Select(e => e.CustomerId).Distinct(StringComparer.Ordinal));
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Reading the subscriptions of tenant {TenantId}'s usage failed; the batch will be resent", TenantId);
            return false;
        }
        var events = batch
            .Where(e => stripeBilled[e.CustomerId] != false)
            .Select(e => new StripeMeterEvent(Identifier(TenantId, e.EventId), e.CustomerId, e.Metric, e.Quantity, e.Timestamp, e.EventId,
                stripeBilled[e.CustomerId] == true ? Interfaces.Plans.StripeMeterNames.EventName(TenantId, e.Metric) : null))
            .ToArray();
        if (events.Length == 0)
        {
            return true;
        }
        using var timeout = new CancellationTokenSource(options.Value.ForwardingCallTimeout);
        try
        {
            await forwarder.ForwardAsync(TenantId, events, timeout.Token);
            return true;
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Forwarding {Count} usage events of tenant {TenantId} failed; they will be resent", events.Length, TenantId);
            return false;
        }
    }

    /// <summary>
    /// Per customer: true when Stripe bills its live subscription (usage goes under the meter the platform made for the
    /// metric), false when the platform does (its invoice prices the usage log; nothing goes to Stripe), null without a
    /// live subscription (sent as before, under the configured <c>Usage:MeterEventNames</c>).
    /// </summary>
    private async Task<Dictionary<string, bool?>> StripeBilledAsync(IEnumerable<string> customerIds)
    {
        var result = new Dictionary<string, bool?>(StringComparer.Ordinal);
        foreach (var customerId in customerIds)
        {
            var subscription = await GrainFactory.GetGrain<Interfaces.Subscriptions.ISubscriptionGrain>(
                Interfaces.Common.PlatformIds.CustomerKey(TenantId, customerId)).GetAsync();
            result[customerId] = subscription is null || !Subscriptions.SubscriptionStatuses.IsLive(subscription.Status) ? null : subscription.ManagedByStripe;
        }
        return result;
    }

    /// <summary>Stable per (tenant, event id) and at most 100 characters, as Stripe's meter event identifier allows.</summary>
    public static string Identifier(string tenantId, string eventId) =>
        "use_" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(tenantId + "\n" + eventId)))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private async Task EnsureRunningAsync()
    {
        if (_timer is not null || !options.Value.ForwardingEnabled)
        {
            return;
        }
        await this.RegisterOrUpdateReminder(ReminderName, ReminderPeriod, ReminderPeriod);
        var interval = options.Value.ForwardingInterval;
        _timer = this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions(interval, interval) { Interleave = false });
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        if (clock.GetUtcNow() < _retryAt)
        {
            return;
        }
        try
        {
            if (await ForwardDueAsync() > 0)
            {
                return;
            }
            _watermark ??= await log.GetForwardedSequenceAsync(TenantId, cancellationToken);
            if (!await log.HasRowsAfterAsync(TenantId, _watermark.Value, cancellationToken))
            {
                // Caught up: stop ticking until a meter wakes us again.
                _timer?.Dispose();
                _timer = null;
                var reminder = await this.GetReminder(ReminderName, cancellationToken);
                if (reminder is not null)
                {
                    await this.UnregisterReminder(reminder, cancellationToken);
                }
                DeactivateOnIdle();
            }
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Usage forwarding tick for tenant {TenantId} failed", TenantId);
        }
    }
}

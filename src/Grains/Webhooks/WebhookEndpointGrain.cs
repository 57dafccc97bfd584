using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Grains.Common;
using Platform.Grains.Interfaces.Audit;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Webhooks;

namespace Platform.Grains.Webhooks;

/// <summary>
/// One endpoint and its delivery queue (rows in platform_webhook_deliveries). Deliveries run in this
/// grain's own timer turns, one at a time in queue order; <see cref="EnqueueAsync"/> interleaves with
/// them, so publishers never wait for this receiver. A one-shot timer is set to the next due attempt
/// while the grain is active; a reminder, held while anything is pending, brings the grain back after
/// a silo restart or deactivation, so the queue survives both. At-least-once: an attempt is recorded
/// after the POST, so a crash in between sends it again.
/// </summary>
public sealed class WebhookEndpointGrain(
    [PersistentState(WebhookEndpointGrain.StateName, PlatformStorage.Name)] IPersistentState<WebhookEndpointState> endpoint,
    WebhookDeliveryStore deliveries,
    WebhookSender sender,
    WebhookAddressGuard guard,
    FieldProtector protector,
    WebhookMetrics metrics,
    IOptions<WebhookOptions> options,
    TimeProvider clock,
    ILogger<WebhookEndpointGrain> logger) : Grain, IWebhookEndpointGrain, IRemindable
{
    public const string StateName = "webhook_endpoint";
    public const string DeliveryReminder = "webhook-delivery";
    private const int BatchSize = 10;

    /// <summary>A drain stops starting attempts after this long and continues in a fresh turn.</summary>
    private static readonly TimeSpan TurnBudget = TimeSpan.FromSeconds(20);

    private IGrainTimer? _timer;
    private bool _reminderRegistered;
    private long _enqueued;
    private (string Secret, DateTimeOffset? Expires)[]? _secrets;

    private string Key => this.GetPrimaryKeyString();

    private bool Exists => endpoint.State.Id is not null;

    private bool Enabled => Exists && endpoint.State.Status == WebhookEndpointStatus.Enabled;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // After a key rotation, secrets still under a retired key move to the current one on activation.
        if (Exists && protector.CanProtect && endpoint.State.Secrets.Any(s => !protector.IsCurrent(s.Protected)))
        {
            foreach (var secret in endpoint.State.Secrets)
            {
                secret.Protected = protector.Protect(protector.Unprotect(secret.Protected, WebhookSecrets.Purpose(Key)), WebhookSecrets.Purpose(Key));
            }
            await endpoint.WriteStateAsync(cancellationToken);
        }
        if (Enabled)
        {
            Wake(TimeSpan.Zero);
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        metrics.QueueDepth(Key, null);
        return Task.CompletedTask;
    }

    public async Task<IssuedWebhookSecret> CreateAsync(WebhookEndpointDraft draft)
    {
        var (tenantId, endpointId) = PlatformIds.ParseWebhookEndpointKey(Key);
        if (Exists)
        {
            throw new PlatformException(PlatformErrorKind.Conflict, "resource_exists", "This webhook endpoint already exists.");
        }
        if (await guard.CheckUrlAsync(draft.Url) is { } refusal)
        {
            throw new PlatformException(PlatformErrorKind.InvalidRequest, "url_invalid", refusal, "url");
        }
        if (!protector.CanProtect)
        {
            throw new InvalidOperationException("Platform:DataKey is not configured; webhook secrets cannot be stored.");
        }
        var now = clock.GetUtcNow();
        var secret = WebhookSecrets.NewSecret();
        // Routing entry first (as the resource index for customers): an event routed to an endpoint with
        // no state yet is refused by EnqueueAsync, while a state without routing would miss events.
        await TenantEvents(tenantId).SubscribeAsync(new WebhookSubscription(endpointId, draft.EnabledEvents, true));
        var state = endpoint.State;
        state.Id = endpointId;
        state.Url = draft.Url;
        state.EnabledEvents = [.. draft.EnabledEvents];
        state.Description = draft.Description;
        state.Status = WebhookEndpointStatus.Enabled;
        state.Created = now;
        state.Secrets = [new WebhookSecretRecord { Protected = protector.Protect(secret, WebhookSecrets.Purpose(Key)), Created = now }];
        await endpoint.WriteStateAsync();
        _secrets = null;
        await AuditAsync(AuditActions.WebhookEndpointCreated, endpointId, new Dictionary<string, string> { ["enabled_events"] = string.Join(',', draft.EnabledEvents) });
        return new IssuedWebhookSecret(Snapshot(now), secret);
    }

    public Task<WebhookEndpointSnapshot?> GetAsync() =>
        Task.FromResult(Exists ? Snapshot(clock.GetUtcNow()) : null);

    public async Task<WebhookEndpointSnapshot?> DeleteAsync()
    {
        if (!Exists)
        {
            return null;
        }
        var (tenantId, endpointId) = PlatformIds.ParseWebhookEndpointKey(Key);
        var snapshot = Snapshot(clock.GetUtcNow());
        await TenantEvents(tenantId).UnsubscribeAsync(endpointId);
        await deliveries.AbandonPendingAsync(tenantId, endpointId);
        await RemoveReminderAsync();
        _timer?.Dispose();
        _timer = null;
        // Clearing the state removes the encrypted secrets with it.
        await endpoint.ClearStateAsync();
        _secrets = null;
        await AuditAsync(AuditActions.WebhookEndpointDeleted, endpointId, NoDetails);
        return snapshot;
    }

    public async Task<IssuedWebhookSecret?> RotateSecretAsync(TimeSpan overlap)
    {
        if (!Exists)
        {
            return null;
        }
        var now = clock.GetUtcNow();
        var secrets = endpoint.State.Secrets;
        secrets.RemoveAll(s => s.Expires is { } end && end <= now);
        foreach (var current in secrets.Where(s => s.Expires is null))
        {
            current.Expires = now + overlap;
        }
        if (overlap <= TimeSpan.Zero)
        {
            secrets.Clear();
        }
        var secret = WebhookSecrets.NewSecret();
        secrets.Insert(0, new WebhookSecretRecord { Protected = protector.Protect(secret, WebhookSecrets.Purpose(Key)), Created = now });
        await endpoint.WriteStateAsync();
        _secrets = null;
        await AuditAsync(AuditActions.WebhookEndpointSecretRotated, endpoint.State.Id!, new Dictionary<string, string>
        {
            ["overlap_seconds"] = ((long)overlap.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        return new IssuedWebhookSecret(Snapshot(now), secret);
    }

    public async Task<bool> EnqueueAsync(PlatformEvent platformEvent)
    {
        if (!Enabled)
        {
            return false;
        }
        var (tenantId, endpointId) = PlatformIds.ParseWebhookEndpointKey(Key);
        await deliveries.EnqueueAsync(tenantId, endpointId, platformEvent.Id, options.Value.MaxAttempts, clock.GetUtcNow());
        _enqueued++;
        await EnsureReminderAsync();
        Wake(TimeSpan.Zero);
        return true;
    }

    public async Task<Page<WebhookDeliverySnapshot>?> ListDeliveriesAsync(DeliveryQuery query)
    {
        if (!Exists)
        {
            return null;
        }
        var (tenantId, endpointId) = PlatformIds.ParseWebhookEndpointKey(Key);
        return await deliveries.PageAsync(tenantId, endpointId, query.Status, query.Page);
    }

    public async Task<WebhookDeliverySnapshot?> RetryDeliveryAsync(string deliveryId)
    {
        if (!Exists)
        {
            return null;
        }
        var (tenantId, endpointId) = PlatformIds.ParseWebhookEndpointKey(Key);
        if (!await deliveries.RequeueAsync(tenantId, endpointId, deliveryId, clock.GetUtcNow()))
        {
            var existing = await deliveries.GetAsync(tenantId, deliveryId);
            return existing is null || existing.EndpointId != endpointId
                ? null
                : throw new PlatformException(PlatformErrorKind.Conflict, "delivery_not_failed",
                    $"Only a failed delivery can be retried; this one is {existing.Status.ToString().ToLowerInvariant()}.");
        }
        if (!Enabled)
        {
            throw new PlatformException(PlatformErrorKind.Conflict, "endpoint_disabled",
                "The endpoint is disabled; the delivery is queued and goes out once it is enabled again.");
        }
        await AuditAsync(AuditActions.WebhookDeliveryRetried, deliveryId, new Dictionary<string, string> { ["endpoint"] = endpointId });
        await EnsureReminderAsync();
        Wake(TimeSpan.Zero);
        return await deliveries.GetAsync(tenantId, deliveryId);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        // Only wake: the drain runs in a timer turn, where it is not bound by the reminder call's timeout.
        _reminderRegistered = true;
        if (Enabled)
        {
            Wake(TimeSpan.Zero);
        }
        return Task.CompletedTask;
    }

    private void Wake(TimeSpan due)
    {
        if (_timer is null)
        {
            _timer = this.RegisterGrainTimer(DrainAsync, new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { KeepAlive = false });
        }
        else
        {
            _timer.Change(due, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return;
        }
        var (tenantId, endpointId) = PlatformIds.ParseWebhookEndpointKey(Key);
        var started = clock.GetTimestamp();
        while (true)
        {
            var due = await deliveries.DueAsync(tenantId, endpointId, clock.GetUtcNow(), BatchSize, cancellationToken);
            foreach (var delivery in due)
            {
                if (!Enabled)
                {
                    await RemoveReminderAsync();
                    return;
                }
                await AttemptAsync(delivery);
            }
            if (due.Count < BatchSize)
            {
                break;
            }
            if (clock.GetElapsedTime(started) > TurnBudget)
            {
                Wake(TimeSpan.Zero);
                return;
            }
        }
        var enqueuedBefore = _enqueued;
        var (next, pending) = await deliveries.PendingAsync(tenantId, endpointId, cancellationToken);
        metrics.QueueDepth(Key, pending);
        if (next is null)
        {
            // An enqueue that interleaved with the query above may have added a row the query missed.
            if (_enqueued == enqueuedBefore)
            {
                await RemoveReminderAsync();
            }
            return;
        }
        await EnsureReminderAsync();
        var wait = next.Value - clock.GetUtcNow();
        Wake(wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
    }

    private async Task AttemptAsync(DueDelivery delivery)
    {
        var settings = options.Value;
        var number = delivery.AttemptCount + 1;
        var body = EventJson.Render(delivery.Event);
        var sentAt = clock.GetUtcNow();
        var url = new Uri(endpoint.State.Url);
        var result = (settings.RequireHttps ?? true) && url.Scheme != Uri.UriSchemeHttps
            ? new WebhookSendResult(null, TimeSpan.Zero, "address_refused")
            : await sender.SendAsync(url, body, WebhookSignature.Header(sentAt.ToUnixTimeSeconds(), body, ActiveSecrets(sentAt)),
                delivery.Id, delivery.Event.Id, number, CancellationToken.None);
        metrics.AttemptCompleted(result);
        var now = clock.GetUtcNow();
        var attempt = new WebhookAttempt(number, sentAt, result.StatusCode, (int)result.Latency.TotalMilliseconds, result.Error);
        if (result.Succeeded)
        {
            await deliveries.RecordAttemptAsync(delivery.Id, attempt, WebhookDeliveryStatus.Succeeded, null);
            metrics.DeliveryFinished(succeeded: true);
            if (endpoint.State.FailingSince is not null)
            {
                endpoint.State.FailingSince = null;
                await endpoint.WriteStateAsync();
            }
            return;
        }
        var final = number >= delivery.MaxAttempts;
        DateTimeOffset? nextAttempt = final ? null : now + RetrySchedule.Delay(settings, number, Random.Shared.NextDouble());
        await deliveries.RecordAttemptAsync(delivery.Id, attempt, final ? WebhookDeliveryStatus.Failed : WebhookDeliveryStatus.Pending, nextAttempt);
        if (final)
        {
            metrics.DeliveryFinished(succeeded: false);
        }
        logger.LogInformation("Webhook delivery {Delivery} attempt {Attempt} failed ({Error}, status {Status}); {Next}",
            delivery.Id, number, result.Error, result.StatusCode, final ? "giving up" : $"next attempt at {nextAttempt:O}");
        if (endpoint.State.FailingSince is null)
        {
            endpoint.State.FailingSince = sentAt;
            await endpoint.WriteStateAsync();
        }
        else if (RetrySchedule.ShouldDisable(settings, endpoint.State.FailingSince, now))
        {
            await DisableAsync(now);
        }
    }

    /// <summary>Failing continuously for Webhooks:DisableAfter: stop, say so in the audit log and as an event.</summary>
    private async Task DisableAsync(DateTimeOffset now)
    {
        var (tenantId, endpointId) = PlatformIds.ParseWebhookEndpointKey(Key);
        var failingSince = endpoint.State.FailingSince;
        endpoint.State.Status = WebhookEndpointStatus.Disabled;
        endpoint.State.DisabledAt = now;
        await endpoint.WriteStateAsync();
        metrics.EndpointDisabled();
        logger.LogWarning("Webhook endpoint {Endpoint} of tenant {Tenant} disabled: failing since {Since:O}", endpointId, tenantId, failingSince);
        var tenantEvents = TenantEvents(tenantId);
        await tenantEvents.SubscribeAsync(new WebhookSubscription(endpointId, endpoint.State.EnabledEvents, false));
        await AuditAsync(AuditActions.WebhookEndpointDisabled, endpointId, new Dictionary<string, string>
        {
            ["failing_since"] = failingSince?.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
            ["reason"] = "failing_continuously",
        });
        await tenantEvents.PublishAsync(new PlatformEvent(PlatformIds.NewEventId(), EventTypes.WebhookEndpointDisabled, now,
            WebhookEndpointJson.Render(Snapshot(now))));
        await RemoveReminderAsync();
    }

    private IEnumerable<string> ActiveSecrets(DateTimeOffset now)
    {
        _secrets ??= endpoint.State.Secrets
            .Select(s => (protector.Unprotect(s.Protected, WebhookSecrets.Purpose(Key)), s.Expires))
            .ToArray();
        return _secrets.Where(s => s.Expires is null || s.Expires > now).Select(s => s.Secret);
    }

    private async Task EnsureReminderAsync()
    {
        if (!_reminderRegistered)
        {
            _reminderRegistered = true;
            var period = options.Value.ReminderPeriod;
            await this.RegisterOrUpdateReminder(DeliveryReminder, period, period);
        }
    }

    private async Task RemoveReminderAsync()
    {
        _reminderRegistered = false;
        if (await this.GetReminder(DeliveryReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private WebhookEndpointSnapshot Snapshot(DateTimeOffset now)
    {
        var state = endpoint.State;
        var previousExpires = state.Secrets.Where(s => s.Expires is { } end && end > now).Select(s => s.Expires).Max();
        return new WebhookEndpointSnapshot(state.Id!, state.Url, state.EnabledEvents.ToArray(), state.Description, state.Status,
            state.Created, state.DisabledAt, previousExpires);
    }

    private static readonly IReadOnlyDictionary<string, string> NoDetails = new Dictionary<string, string>();

    private ITenantEventsGrain TenantEvents(string tenantId) => GrainFactory.GetGrain<ITenantEventsGrain>(tenantId);

    private Task AuditAsync(string action, string subject, IReadOnlyDictionary<string, string> details)
    {
        var (tenantId, _) = PlatformIds.ParseWebhookEndpointKey(Key);
        return GrainFactory.GetGrain<IAuditLogGrain>(tenantId).AppendAsync(new AuditDraft(action, subject, details));
    }
}

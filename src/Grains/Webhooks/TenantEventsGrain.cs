using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Grains.Common;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Webhooks;

namespace Platform.Grains.Webhooks;

/// <summary>
/// A tenant's event log and router. Publishing stores the event, then asks each matching endpoint to
/// queue it (a quick interleaved insert, see IWebhookEndpointGrain.EnqueueAsync); no HTTP happens here,
/// so one tenant's slow receiver never slows publishing. A daily reminder purges events past retention.
/// </summary>
public sealed class TenantEventsGrain(
    [PersistentState(TenantEventsGrain.StateName, PlatformStorage.Name)] IPersistentState<TenantEventsState> tenantEvents,
    PlatformEventStore events,
    WebhookDeliveryStore deliveries,
    IOptions<WebhookOptions> options,
    TimeProvider clock,
    ILogger<TenantEventsGrain> logger) : Grain, ITenantEventsGrain, IRemindable
{
    public const string StateName = "tenant_events";
    public const string RetentionReminder = "event-retention";
    private static readonly TimeSpan RetentionPeriod = TimeSpan.FromDays(1);

    private string TenantId => this.GetPrimaryKeyString();

    public async Task PublishAsync(PlatformEvent platformEvent)
    {
        if (!EventTypes.IsKnown(platformEvent.Type) || !PlatformIds.IsEventId(platformEvent.Id))
        {
            throw new PlatformException(PlatformErrorKind.InvalidRequest, "event_invalid",
                $"Events need an evt_ id and a type listed in EventTypes ('{platformEvent.Type}' given).");
        }
        await events.InsertAsync(TenantId, platformEvent);
        if (!tenantEvents.State.RetentionScheduled)
        {
            await this.RegisterOrUpdateReminder(RetentionReminder, RetentionPeriod, RetentionPeriod);
            tenantEvents.State.RetentionScheduled = true;
            await tenantEvents.WriteStateAsync();
        }
        var targets = tenantEvents.State.Endpoints
            .Where(s => s.Enabled && EventTypes.Matches(s.EnabledEvents, platformEvent.Type))
            .Select(s => Endpoint(s.EndpointId).EnqueueAsync(platformEvent));
        await Task.WhenAll(targets);
    }

    public Task<PlatformEvent?> GetEventAsync(string eventId) => events.GetAsync(TenantId, eventId);

    public Task<Page<PlatformEvent>> ListEventsAsync(EventQuery query) => events.PageAsync(TenantId, query.Type, query.Page);

    public async Task SubscribeAsync(WebhookSubscription subscription)
    {
        var list = tenantEvents.State.Endpoints;
        var at = list.FindIndex(s => s.EndpointId == subscription.EndpointId);
        if (at >= 0)
        {
            list[at] = subscription;
        }
        else if (list.Count >= options.Value.MaxEndpointsPerTenant)
        {
            throw new PlatformException(PlatformErrorKind.InvalidRequest, "too_many_endpoints",
                $"A tenant has at most {options.Value.MaxEndpointsPerTenant} webhook endpoints; delete one first.");
        }
        else
        {
            list.Insert(0, subscription);
        }
        await tenantEvents.WriteStateAsync();
    }

    public async Task UnsubscribeAsync(string endpointId)
    {
        if (tenantEvents.State.Endpoints.RemoveAll(s => s.EndpointId == endpointId) > 0)
        {
            await tenantEvents.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> ListEndpointIdsAsync() =>
        Task.FromResult<IReadOnlyList<string>>(tenantEvents.State.Endpoints.Select(s => s.EndpointId).ToArray());

    public async Task<WebhookDeliverySnapshot?> RetryDeliveryAsync(string deliveryId) =>
        await deliveries.EndpointOfAsync(TenantId, deliveryId) is { } endpointId
            ? await Endpoint(endpointId).RetryDeliveryAsync(deliveryId)
            : null;

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != RetentionReminder)
        {
            return;
        }
        var purged = await events.PurgeAsync(TenantId, clock.GetUtcNow() - options.Value.EventRetention);
        if (purged > 0)
        {
            logger.LogInformation("Purged {Count} events of tenant {Tenant} past retention", purged, TenantId);
        }
    }

    private IWebhookEndpointGrain Endpoint(string endpointId) =>
        GrainFactory.GetGrain<IWebhookEndpointGrain>(PlatformIds.WebhookEndpointKey(TenantId, endpointId));
}

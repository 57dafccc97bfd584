using Orleans.Concurrency;
using Platform.Grains.Interfaces.Audit;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Placement;
using Platform.Grains.Interfaces.StripeWebhooks;

namespace Platform.Grains.StripeWebhooks;

/// <summary>
/// Stripe's inbound events on the core side: recording what the PCI webhook grain verified (deduplicated,
/// durable before the answer, then routed in the background by the processor), reads of the event table for
/// operators, and replay. Stateless: the table is the state. Core silos only, so that recording, routing and
/// marking never run in the PCI process.
/// </summary>
[StatelessWorker, Reentrant, CoreOnly]
public sealed class StripeWebhookEventsGrain(StripeEventStore store, StripeEventProcessor processor) : Grain, IStripeWebhookEventsGrain
{
    private bool _sweeperScheduled;

    public async Task<StripeWebhookReceipt> RecordAsync(StripeEventData stripeEvent)
    {
        if (!_sweeperScheduled)
        {
            await GrainFactory.GetGrain<IWebhookSweeperGrain>(0).EnsureScheduledAsync();
            _sweeperScheduled = true;
        }
        return await processor.ReceiveAsync(stripeEvent);
    }

    public Task<Page<StripeWebhookEventSnapshot>> ListAsync(StripeWebhookEventStatus? status, PageRequest page) =>
        store.PageAsync(status, page);

    public Task<StripeWebhookEventSnapshot?> GetAsync(string eventId) => store.GetAsync(eventId);

    public async Task<StripeWebhookEventSnapshot?> ReplayAsync(string eventId)
    {
        if (await store.GetAsync(eventId) is not { } recorded)
        {
            return null;
        }
        var (status, outcome) = await processor.ProcessAsync(recorded.Event);
        await GrainFactory.GetGrain<IAuditLogGrain>(IAuditLogGrain.PlatformChain).AppendAsync(new AuditDraft(
            AuditActions.StripeWebhookReplayed, eventId, new Dictionary<string, string>
            {
                ["type"] = recorded.Event.Type,
                ["status"] = status.ToString().ToLowerInvariant(),
                ["outcome"] = outcome is { } o ? StripeEventProcessor.OutcomeName(o) : "none",
            }));
        return await store.GetAsync(eventId);
    }
}

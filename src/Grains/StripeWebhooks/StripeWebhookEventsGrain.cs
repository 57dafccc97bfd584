using Orleans.Concurrency;
using Platform.Grains.Interfaces.Audit;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.StripeWebhooks;

namespace Platform.Grains.StripeWebhooks;

/// <summary>Reads of the event table for operators, and replay. Stateless: the table is the state.</summary>
[StatelessWorker, Reentrant]
public sealed class StripeWebhookEventsGrain(StripeEventStore store, StripeEventProcessor processor) : Grain, IStripeWebhookEventsGrain
{
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

using Platform.Grains.Interfaces.Common;

namespace Platform.Grains.Interfaces.Webhooks;

/// <summary>
/// The publishing half of a grain's outbox, one per activation. The grain stages its events in its own
/// stored list with the change and writes once; then <see cref="PublishPendingAsync"/> publishes them. The
/// published ones leave the stored list with the grain's next write (<see cref="DropPublished"/> before
/// every write), so a change costs one write, not two. Publishing again after a crash is harmless:
/// <see cref="ITenantEventsGrain.PublishAsync"/> is idempotent by event id, so subscribers get each event once.
/// </summary>
/// <remarks>
/// Use: <c>outbox.DropPublished(state.Outbox)</c> then <c>WriteStateAsync</c> on every write; after the
/// write, and on activation, <c>PublishPendingAsync(state.Outbox, tenantEvents, …)</c>; on deactivation, when
/// <see cref="HasPublished"/>, one more write (so a reactivation finds nothing to send again).
/// </remarks>
public sealed class EventOutbox
{
    private readonly HashSet<string> _published = new(StringComparer.Ordinal);

    /// <summary>Events were published (or dropped) that the stored list still holds.</summary>
    public bool HasPublished => _published.Count > 0;

    /// <summary>Call before every write: removes the events already published, so the write stores their removal.</summary>
    public void DropPublished(List<PlatformEvent> staged)
    {
        if (_published.Count == 0)
        {
            return;
        }
        staged.RemoveAll(e => _published.Contains(e.Id));
        _published.Clear();
    }

    /// <summary>
    /// Publishes, in staging order, the staged events not published yet by this activation. An event whose
    /// <paramref name="prepare"/> returns null is dropped unsent (e.g. its data key was shredded). An event
    /// created before <paramref name="notBefore"/> (the tenant's event retention) is dropped too: the event
    /// log has purged it, so publishing it again would deliver it again. Returns the failure that stopped it
    /// (the rest stay staged, for the next write or activation), for the caller to log; null when all went out.
    /// A <see cref="PlatformException"/> (an event the publisher refuses: a bug) is not caught.
    /// </summary>
    public async Task<Exception?> PublishPendingAsync(IReadOnlyList<PlatformEvent> staged, ITenantEventsGrain events,
        DateTimeOffset? notBefore = null, Func<PlatformEvent, PlatformEvent?>? prepare = null)
    {
        foreach (var platformEvent in staged.ToArray())
        {
            if (_published.Contains(platformEvent.Id))
            {
                continue;
            }
            if (notBefore is null || platformEvent.Created >= notBefore)
            {
                try
                {
                    if ((prepare is null ? platformEvent : prepare(platformEvent)) is { } published)
                    {
                        await events.PublishAsync(published);
                    }
                }
                catch (Exception e) when (e is not PlatformException)
                {
                    return e;
                }
            }
            _published.Add(platformEvent.Id);
        }
        return null;
    }
}

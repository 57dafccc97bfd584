using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Webhooks;

namespace Platform.Unit.Tests.Grains.Interfaces.Webhooks;

/// <summary>
/// <see cref="EventOutbox"/> against a recording publisher (the real one is a grain; the integration tests of
/// customers and subscriptions cover it end to end).
/// </summary>
public sealed class EventOutboxTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static PlatformEvent Event(string id, DateTimeOffset? created = null) => new(id, EventTypes.CustomerUpdated, created ?? Now, "{}");

    [Fact]
    public async Task PublishPendingAsync_PublishesEachStagedEventOnceInOrder_AndTheNextWriteDropsThem()
    {
        var staged = new List<PlatformEvent> { Event("evt_1"), Event("evt_2") };
        var events = new RecordingTenantEvents();
        var outbox = new EventOutbox();

        Assert.Null(await outbox.PublishPendingAsync(staged, events));
        staged.Add(Event("evt_3"));
        Assert.Null(await outbox.PublishPendingAsync(staged, events));

        Assert.Equal(["evt_1", "evt_2", "evt_3"], events.Published.Select(e => e.Id));
        Assert.True(outbox.HasPublished);
        staged.Add(Event("evt_4"));
        outbox.DropPublished(staged);
        Assert.Equal(["evt_4"], staged.Select(e => e.Id));
        Assert.False(outbox.HasPublished);
    }

    [Fact]
    public async Task PublishPendingAsync_AfterAFailure_StopsThere_AndResumesWithTheUnpublishedOnes()
    {
        var staged = new List<PlatformEvent> { Event("evt_1"), Event("evt_2"), Event("evt_3") };
        var events = new RecordingTenantEvents { FailOn = "evt_2" };
        var outbox = new EventOutbox();

        Assert.IsType<TimeoutException>(await outbox.PublishPendingAsync(staged, events));
        outbox.DropPublished(staged);
        Assert.Equal(["evt_2", "evt_3"], staged.Select(e => e.Id));

        events.FailOn = null;
        Assert.Null(await outbox.PublishPendingAsync(staged, events));
        Assert.Equal(["evt_1", "evt_2", "evt_3"], events.Published.Select(e => e.Id));
    }

    [Fact]
    public async Task PublishPendingAsync_ARefusal_IsNotSwallowed()
    {
        var events = new RecordingTenantEvents { Refuse = true };

        await Assert.ThrowsAsync<PlatformException>(() => new EventOutbox().PublishPendingAsync([Event("evt_1")], events));
    }

    [Fact]
    public async Task PublishPendingAsync_DropsEventsPreparedToNothingOrOlderThanTheRetention()
    {
        var staged = new List<PlatformEvent> { Event("evt_old", Now.AddDays(-31)), Event("evt_shredded"), Event("evt_ok") };
        var events = new RecordingTenantEvents();
        var outbox = new EventOutbox();

        Assert.Null(await outbox.PublishPendingAsync(staged, events, Now.AddDays(-30),
            e => e.Id == "evt_shredded" ? null : e with { DataJson = "{\"opened\":true}" }));

        Assert.Equal([("evt_ok", "{\"opened\":true}")], events.Published.Select(e => (e.Id, e.DataJson)));
        outbox.DropPublished(staged);
        Assert.Empty(staged);
    }

    private sealed class RecordingTenantEvents : ITenantEventsGrain
    {
        public List<PlatformEvent> Published { get; } = [];

        public string? FailOn { get; set; }

        public bool Refuse { get; init; }

        public Task PublishAsync(PlatformEvent platformEvent)
        {
            if (Refuse)
            {
                throw new PlatformException(PlatformErrorKind.InvalidRequest, "event_invalid", "Refused.");
            }
            if (platformEvent.Id == FailOn)
            {
                throw new TimeoutException("The tenant's events grain did not answer.");
            }
            Published.Add(platformEvent);
            return Task.CompletedTask;
        }

        public Task<PlatformEvent?> GetEventAsync(string eventId) => throw new NotSupportedException();

        public Task<Page<PlatformEvent>> ListEventsAsync(EventQuery query) => throw new NotSupportedException();

        public Task SubscribeAsync(WebhookSubscription subscription) => throw new NotSupportedException();

        public Task UnsubscribeAsync(string endpointId) => throw new NotSupportedException();

        public Task<IReadOnlyList<string>> ListEndpointIdsAsync() => throw new NotSupportedException();

        public Task<WebhookDeliverySnapshot?> RetryDeliveryAsync(string deliveryId) => throw new NotSupportedException();
    }
}

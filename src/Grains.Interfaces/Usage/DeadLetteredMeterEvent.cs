namespace Platform.Grains.Interfaces.Usage;

/// <summary>
/// A usage event that will never reach Stripe, and why: <see cref="Reason"/> is a stable code
/// (<c>customer_missing</c>, <c>meter_not_configured</c>, or the code Stripe refused it with).
/// The event stays in the usage log; only its forwarding gave up.
/// </summary>
[GenerateSerializer, Immutable, Alias("platform.dead_lettered_meter_event")]
public sealed record DeadLetteredMeterEvent(
    [property: Id(0)] string EventId,
    [property: Id(1)] string Identifier,
    [property: Id(2)] string CustomerId,
    [property: Id(3)] string Metric,
    [property: Id(4)] decimal Quantity,
    [property: Id(5)] DateTimeOffset Timestamp,
    [property: Id(6)] string Reason,
    [property: Id(7)] DateTimeOffset DeadLetteredAt);

namespace Platform.Grains.Interfaces.Usage;

/// <summary>
/// One usage event as handed to the PCI side for Stripe's meter events API. <see cref="Identifier"/> is
/// stable for the event (derived from tenant and event id, at most 100 characters): resending it after a
/// timeout lets Stripe deduplicate. The PCI side maps <see cref="CustomerId"/> to the Stripe customer
/// and <see cref="Metric"/> to the meter's <c>event_name</c>, unless <see cref="EventName"/> names it: the meter the
/// platform made for the metric (StripeMeterNames), for a customer whose subscription Stripe bills.
/// </summary>
[GenerateSerializer, Immutable, Alias("platform.stripe_meter_event")]
public sealed record StripeMeterEvent(
    [property: Id(0)] string Identifier,
    [property: Id(1)] string CustomerId,
    [property: Id(2)] string Metric,
    [property: Id(3)] decimal Quantity,
    [property: Id(4)] DateTimeOffset Timestamp,
    [property: Id(5)] string EventId,
    [property: Id(6)] string? EventName = null);

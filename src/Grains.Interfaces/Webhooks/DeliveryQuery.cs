using Platform.Grains.Interfaces.Common;

namespace Platform.Grains.Interfaces.Webhooks;

/// <summary>A page of an endpoint's deliveries, newest first, optionally in one status.</summary>
[GenerateSerializer, Immutable, Alias("platform.delivery_query")]
public sealed record DeliveryQuery([property: Id(0)] WebhookDeliveryStatus? Status, [property: Id(1)] PageRequest Page);

using Platform.Grains.Interfaces.Common;

namespace Platform.Grains.Interfaces.Webhooks;

/// <summary>A page of a tenant's events, newest first, optionally of one type.</summary>
[GenerateSerializer, Immutable, Alias("platform.event_query")]
public sealed record EventQuery([property: Id(0)] string? Type, [property: Id(1)] PageRequest Page);

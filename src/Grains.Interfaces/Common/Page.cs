namespace Platform.Grains.Interfaces.Common;

/// <summary>One page of a newest-first list, Stripe style.</summary>
[GenerateSerializer, Immutable, Alias("platform.page`1")]
public sealed record Page<T>([property: Id(0)] IReadOnlyList<T> Items, [property: Id(1)] bool HasMore);

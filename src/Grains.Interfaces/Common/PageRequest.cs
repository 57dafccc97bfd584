namespace Platform.Grains.Interfaces.Common;

/// <summary>Cursor paging: at most <see cref="Limit"/> items older than <see cref="StartingAfter"/>.</summary>
[GenerateSerializer, Immutable, Alias("platform.page_request")]
public sealed record PageRequest([property: Id(0)] int Limit, [property: Id(1)] string? StartingAfter);

namespace Platform.Grains.Interfaces.Common;

/// <summary>
/// Cursor paging: at most <see cref="Limit"/> items older than <see cref="StartingAfter"/>, or newer than
/// <see cref="EndingBefore"/> (Stripe's previous page; lists that support it say so), newest first either way.
/// </summary>
[GenerateSerializer, Immutable, Alias("platform.page_request")]
public sealed record PageRequest([property: Id(0)] int Limit, [property: Id(1)] string? StartingAfter, [property: Id(2)] string? EndingBefore = null);

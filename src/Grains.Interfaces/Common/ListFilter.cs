namespace Platform.Grains.Interfaces.Common;

/// <summary>Stripe's list filters beyond paging: a <c>status</c>, and <c>created[gte]</c> / <c>created[lte]</c> (inclusive).</summary>
[GenerateSerializer, Immutable, Alias("platform.list_filter")]
public sealed record ListFilter(
    [property: Id(0)] string? Status,
    [property: Id(1)] DateTimeOffset? CreatedGte,
    [property: Id(2)] DateTimeOffset? CreatedLte)
{
    public static readonly ListFilter None = new(null, null, null);

    public bool Matches(string status, DateTimeOffset? created) =>
        (Status is null || Status == status)
        && (CreatedGte is null || (created is { } c1 && c1 >= CreatedGte))
        && (CreatedLte is null || (created is { } c2 && c2 <= CreatedLte));
}

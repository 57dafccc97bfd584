namespace Platform.Grains.Interfaces.Adjustments;

/// <summary>
/// A credit grant as an invoice's finalization sees it: what is left of it, what it applies to
/// (<see cref="CreditGrantScopes"/>), its <see cref="Priority"/> (lower spent first) and expiry. Grants are spent by
/// priority, then the soonest expiry (none last), then the oldest.
/// </summary>
[GenerateSerializer, Immutable, Alias("platform.credit_grant_balance")]
public sealed record CreditGrantBalance(
    [property: Id(0)] string Id,
    [property: Id(1)] long Remaining,
    [property: Id(2)] string AppliesTo,
    [property: Id(3)] int Priority,
    [property: Id(4)] DateTimeOffset? ExpiresAt,
    [property: Id(5)] DateTimeOffset Created);

namespace Platform.Grains.Interfaces.Portal;

/// <summary>A portal session. <see cref="Secret"/> is set only in the answer to its creation (the url's one-time secret).</summary>
[GenerateSerializer, Immutable, Alias("platform.portal_session_snapshot")]
public sealed record PortalSessionSnapshot(
    [property: Id(0)] string Id,
    [property: Id(1)] string TenantId,
    [property: Id(2)] string CustomerId,
    [property: Id(3)] string ReturnUrl,
    [property: Id(4)] DateTimeOffset Created,
    [property: Id(5)] DateTimeOffset ExpiresAt,
    [property: Id(6)] DateTimeOffset? OpenedAt,
    [property: Id(7)] string? Secret = null);

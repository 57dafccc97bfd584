namespace Platform.Grains.Interfaces.Portal;

/// <summary>A portal session for one customer of one tenant, and where its "back" link leads.</summary>
[GenerateSerializer, Immutable, Alias("platform.portal_session_draft")]
public sealed record PortalSessionDraft(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string CustomerId,
    [property: Id(2)] string ReturnUrl);

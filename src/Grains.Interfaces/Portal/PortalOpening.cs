namespace Platform.Grains.Interfaces.Portal;

/// <summary>The outcome of opening a portal url; <see cref="Session"/> and <see cref="SessionEnds"/> set when opened.</summary>
[GenerateSerializer, Immutable, Alias("platform.portal_opening")]
public sealed record PortalOpening(
    [property: Id(0)] PortalOpeningStatus Status,
    [property: Id(1)] PortalSessionSnapshot? Session = null,
    [property: Id(2)] DateTimeOffset? SessionEnds = null);

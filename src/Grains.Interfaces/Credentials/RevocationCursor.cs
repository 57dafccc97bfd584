namespace Platform.Grains.Interfaces.Credentials;

/// <summary>Where the revocation feed is: the revocation grain's activation (<see cref="Epoch"/>) and the
/// number of notices it has sent. A host that sees a gap, or another epoch, drops its whole cache.</summary>
[GenerateSerializer, Immutable, Alias("platform.revocation_cursor")]
public sealed record RevocationCursor([property: Id(0)] Guid Epoch, [property: Id(1)] long Sequence);

namespace Platform.Grains.Interfaces.Security;

/// <summary>The whole blocklist as an API host holds it; <see cref="Version"/> grows with every change.</summary>
[GenerateSerializer, Immutable, Alias("platform.address_blocklist_snapshot")]
public sealed record AddressBlocklist(
    [property: Id(0)] long Version,
    [property: Id(1)] IReadOnlyList<BlockedAddressRange> Ranges);

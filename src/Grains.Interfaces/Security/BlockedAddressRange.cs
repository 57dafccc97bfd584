namespace Platform.Grains.Interfaces.Security;

/// <summary>One blocked client address range (<see cref="Range"/> in CIDR form, a single address as /32 or /128),
/// why, and who blocked it when. <see cref="Reason"/> is the operator's note: never personal data.</summary>
[GenerateSerializer, Immutable, Alias("platform.blocked_address_range")]
public sealed record BlockedAddressRange(
    [property: Id(0)] string Range,
    [property: Id(1)] string? Reason,
    [property: Id(2)] DateTimeOffset Created,
    [property: Id(3)] string Actor);

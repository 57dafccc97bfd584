using Orleans.Placement;

namespace Platform.Grains.Compliance;

/// <summary>
/// Keeps only the silo whose address (<c>SiloAddress.ToParsableString()</c>) is the grain's key: a grain so
/// labelled runs on the silo it is named for, or nowhere (a silo that left cannot be impersonated).
/// Orleans registers strategies by type name, so this name must stay unique.
/// </summary>
public sealed class SiloPinnedPlacementFilterStrategy() : PlacementFilterStrategy(order: 0);

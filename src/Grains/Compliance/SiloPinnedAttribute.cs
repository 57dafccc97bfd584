using Orleans.Placement;

namespace Platform.Grains.Compliance;

/// <summary>Places a grain keyed by a silo address on that silo (see <see cref="SiloPinnedPlacementFilterStrategy"/>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class SiloPinnedAttribute() : PlacementFilterAttribute(new SiloPinnedPlacementFilterStrategy());

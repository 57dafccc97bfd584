using Platform.Grains.Interfaces.Placement;

namespace Platform.Grains.Interfaces.Pci;

/// <summary>Keeps only silos with the pci role (<c>role.pci=true</c>); see <see cref="PciAttribute"/>.</summary>
public sealed class PciPlacementFilterStrategy() : RolePlacementFilterStrategy(MetadataKey, MetadataValue)
{
    /// <summary>Equal to the silo host's <c>SiloRoles.MetadataPrefix + SiloRoles.Pci</c> (a unit test holds them together).</summary>
    public const string MetadataKey = "role.pci";
    public const string MetadataValue = "true";
}

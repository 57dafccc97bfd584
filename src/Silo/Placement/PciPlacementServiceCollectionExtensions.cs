using Orleans.Placement;
using Platform.Grains.Compliance;
using Platform.Grains.Pci;

namespace Platform.Silo.Placement;

public static class PciPlacementServiceCollectionExtensions
{
    /// <summary>
    /// The PCI placement filter, on every silo: placement runs on whichever silo first receives a call
    /// (a core gateway, usually), and that silo must know the filter to send the activation to a pci silo.
    /// Transient strategy: Orleans initialises a strategy instance per grain type from its properties.
    /// </summary>
    public static IServiceCollection AddPciPlacement(this IServiceCollection services) =>
        services.AddPlacementFilter<PciPlacementFilterStrategy, PciPlacementFilterDirector>(ServiceLifetime.Transient);

    /// <summary>The filter that places a silo's own posture grain on that silo (the compliance report asks each silo).</summary>
    public static IServiceCollection AddSiloPinnedPlacement(this IServiceCollection services) =>
        services.AddPlacementFilter<SiloPinnedPlacementFilterStrategy, SiloPinnedPlacementFilterDirector>(ServiceLifetime.Transient);
}

using Orleans.Placement;
using Platform.Grains.Compliance;
using Platform.Grains.Interfaces.Pci;
using Platform.Grains.Interfaces.Placement;

namespace Platform.Silo.Placement;

public static class PciPlacementServiceCollectionExtensions
{
    /// <summary>
    /// The role placement filters, on every silo: placement runs on whichever silo first receives a call
    /// (a core gateway, usually, or a pci silo calling back into core), and that silo must know the filter to
    /// send the activation to a silo with the role. Transient strategies: Orleans initialises a strategy
    /// instance per grain type from its properties.
    /// </summary>
    public static IServiceCollection AddPciPlacement(this IServiceCollection services) => services
        .AddPlacementFilter<PciPlacementFilterStrategy, RolePlacementFilterDirector>(ServiceLifetime.Transient)
        .AddPlacementFilter<CorePlacementFilterStrategy, RolePlacementFilterDirector>(ServiceLifetime.Transient);

    /// <summary>The filter that places a silo's own posture grain on that silo (the compliance report asks each silo).</summary>
    public static IServiceCollection AddSiloPinnedPlacement(this IServiceCollection services) =>
        services.AddPlacementFilter<SiloPinnedPlacementFilterStrategy, SiloPinnedPlacementFilterDirector>(ServiceLifetime.Transient);
}

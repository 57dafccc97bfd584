using Orleans.Configuration;
using Platform.Grains.Interfaces.Pci;

namespace Platform.Silo.Placement;

public static class PciGrainClassesServiceCollectionExtensions
{
    /// <summary>
    /// For silos without the pci role: removes every grain class carrying the PCI label from the classes this
    /// silo can host. Defence in depth under the placement filter: even a wrong filter cannot activate a PCI
    /// grain here, and the cluster manifest tells everyone which silos can.
    /// </summary>
    public static IServiceCollection RemovePciGrainClasses(this IServiceCollection services)
    {
        services.PostConfigure<GrainTypeOptions>(options =>
        {
            foreach (var type in PciGrainClasses.Among(options.Classes))
            {
                options.Classes.Remove(type);
            }
        });
        return services;
    }
}

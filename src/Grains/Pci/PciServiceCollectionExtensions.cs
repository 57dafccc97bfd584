using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Platform.Grains.Pci.Outbound;

namespace Platform.Grains.Pci;

public static class PciServiceCollectionExtensions
{
    /// <summary>
    /// For silos with the pci role: the Stripe client (secret key, API base, retries, outbound budget) and
    /// the options the PCI grains read. Start-up fails with a clear message when the secret key is missing.
    /// </summary>
    public static IServiceCollection AddPciServices(this IServiceCollection services, IConfiguration stripeSection)
    {
        services.AddStripe(stripeSection);
        return services;
    }

    /// <summary>
    /// For silos without the pci role: removes every PCI grain class from the classes this silo can host.
    /// Defence in depth under the placement filter: even a wrong filter cannot activate a PCI grain here,
    /// and the cluster manifest tells everyone which silos can.
    /// </summary>
    public static IServiceCollection RemovePciGrainClasses(this IServiceCollection services)
    {
        services.PostConfigure<GrainTypeOptions>(options =>
        {
            foreach (var type in PciGrainClasses.All)
            {
                options.Classes.Remove(type);
            }
        });
        return services;
    }
}

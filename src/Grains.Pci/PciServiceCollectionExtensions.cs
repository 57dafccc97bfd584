using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Platform.Grains.Pci.Outbound;
using Platform.Grains.Pci.Telemetry;
using Platform.Grains.Pci.Usage;

namespace Platform.Grains.Pci;

public static class PciServiceCollectionExtensions
{
    /// <summary>
    /// For silos with the pci role: the Stripe client (secret key, API base, retries, outbound budget), the
    /// options the PCI grains read and their meter. Start-up fails with a clear message when the secret key is missing.
    /// </summary>
    public static IServiceCollection AddPciServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddStripe(configuration.GetSection(StripeOptions.SectionName));
        services.AddOptions<StripeMeterOptions>().Bind(configuration.GetSection(StripeMeterOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StripeMeterOptions>, StripeMeterOptionsValidator>());
        services.AddMetrics();
        services.TryAddSingleton<PciMetrics>();
        return services;
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Platform.Grains.StripeWebhooks;

public static class StripeWebhookServiceCollectionExtensions
{
    /// <summary>Recording, routing and retrying Stripe events: on every silo (the verifying grain itself is PCI).</summary>
    public static IServiceCollection AddStripeWebhookProcessing(this IServiceCollection services)
    {
        services.AddOptions<StripeWebhookOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StripeWebhookOptions>, StripeWebhookOptionsValidator>());
        services.TryAddSingleton<StripeEventStore>();
        services.TryAddSingleton<StripeEventWriter>();
        services.TryAddSingleton<StripeEventRouter>();
        services.TryAddSingleton<StripeEventProcessor>();
        services.AddHostedService<StripeEventApplyService>();
        return services;
    }
}

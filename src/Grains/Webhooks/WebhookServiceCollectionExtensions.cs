using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Platform.Grains.Common;

namespace Platform.Grains.Webhooks;

public static class WebhookServiceCollectionExtensions
{
    /// <summary>
    /// Outgoing webhooks: stores, the SSRF guard, the delivery client, metrics, and the field protector
    /// for their secrets. The host binds <see cref="WebhookOptions"/> and <see cref="FieldProtectorOptions"/>.
    /// </summary>
    public static IServiceCollection AddPlatformWebhooks(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>());
        services.TryAddSingleton<FieldProtector>();
        services.TryAddSingleton<PlatformEventStore>();
        services.TryAddSingleton<WebhookDeliveryStore>();
        services.TryAddSingleton<WebhookAddressGuard>();
        services.TryAddSingleton<WebhookSender>();
        services.AddMetrics();
        services.TryAddSingleton<WebhookMetrics>();
        services.AddHttpClient(WebhookSender.ClientName)
            .ConfigurePrimaryHttpMessageHandler(provider => new SocketsHttpHandler
            {
                // Every connection goes through the guard, which resolves and checks the addresses itself;
                // a proxy would hide the real target from it, and a redirect could lead anywhere.
                ConnectCallback = provider.GetRequiredService<WebhookAddressGuard>().ConnectAsync,
                UseProxy = false,
                AllowAutoRedirect = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                ConnectTimeout = TimeSpan.FromSeconds(5),
            })
            // The grain's own timeout bounds each attempt; the client's default of 100 s must not be shorter.
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan);
        return services;
    }
}

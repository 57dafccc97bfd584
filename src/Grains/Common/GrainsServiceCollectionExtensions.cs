using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using Platform.Grains.StripeWebhooks;
using Platform.Grains.Webhooks;
using Platform.Grains.Usage;
using Platform.Grains.Telemetry;

namespace Platform.Grains.Common;

public static class GrainsServiceCollectionExtensions
{
    /// <summary>Services the platform's grains need on every silo: the database, the clock, the billing meter.</summary>
    public static IServiceCollection AddPlatformGrainServices(this IServiceCollection services, string connectionString)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddKeyedSingleton(Subscriptions.BillingClock.Key, (provider, _) => provider.GetRequiredService<TimeProvider>());
        services.TryAddKeyedSingleton(Portal.PortalClock.Key, (provider, _) => provider.GetRequiredService<TimeProvider>());
        services.TryAddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString).Build());
        services.TryAddSingleton<ResourceIndex>();
        services.TryAddSingleton<Audit.AuditStore>();
        services.TryAddSingleton<FieldProtector>();
        services.TryAddSingleton<DataProtection.DataKeyStore>();
        services.TryAddSingleton<DataProtection.EnvelopeEncryption>();
        services.TryAddSingleton<DataProtection.PersonalDataStore>();
        services.AddOptions<DataProtection.DataProtectionOptions>();
        services.AddPlatformWebhooks();
        services.AddStripeWebhookProcessing();
        services.AddOptions<UsageOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<UsageOptions>, UsageOptionsValidator>());
        services.AddOptions<Subscriptions.SubscriptionOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<Subscriptions.SubscriptionOptions>, Subscriptions.SubscriptionOptionsValidator>());
        services.AddOptions<Entitlements.EntitlementOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<Entitlements.EntitlementOptions>, Entitlements.EntitlementOptionsValidator>());
        services.AddOptions<Invoices.InvoiceOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<Invoices.InvoiceOptions>, Invoices.InvoiceOptionsValidator>());
        services.TryAddSingleton<Invoices.InvoiceStore>();
        services.TryAddSingleton<Adjustments.AdjustmentStore>();
        services.TryAddSingleton<Invoices.InvoiceReader>();
        services.TryAddSingleton<Invoices.StripeInvoiceStore>();
        services.TryAddSingleton<UsageLog>();
        services.TryAddSingleton<UsageLogWriter>();
        services.TryAddSingleton<IUsageForwarder, StripeMeterGrainForwarder>();
        services.AddMetrics();
        services.TryAddSingleton<BillingMetrics>();
        return services;
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Platform.Grains.Webhooks;

namespace Platform.Grains.Common;

public static class GrainsServiceCollectionExtensions
{
    /// <summary>Services the platform's grains need on every silo: the database and the clock.</summary>
    public static IServiceCollection AddPlatformGrainServices(this IServiceCollection services, string connectionString)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString).Build());
        services.TryAddSingleton<ResourceIndex>();
        services.TryAddSingleton<Audit.AuditStore>();
        services.AddPlatformWebhooks();
        return services;
    }
}

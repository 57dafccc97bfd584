using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Platform.Silo.Health;

/// <summary>Ready when the database answers and the cluster lists this silo as active.</summary>
public sealed class SiloReadinessCheck(NpgsqlDataSource dataSource, IClusterMembershipService membership, ILocalSiloDetails local)
    : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("database unreachable");
        }
        var self = membership.CurrentSnapshot.GetSiloStatus(local.SiloAddress);
        return self == SiloStatus.Active
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"silo is {self}");
    }
}

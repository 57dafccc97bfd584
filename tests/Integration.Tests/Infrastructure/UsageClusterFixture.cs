using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Platform.Grains.Usage;
using Platform.Silo.Database;

namespace Platform.Integration.Tests.Infrastructure;

/// <summary>
/// A cluster of two silos and two API hosts for the usage tests, on its own database (retention deletes
/// across tenants), with fast forwarding, a small retention batch and the recording Stripe double.
/// </summary>
public sealed class UsageClusterFixture : IAsyncLifetime
{
    public const int RetentionBatchSize = 3;

    public string ConnectionString { get; private set; } = "";

    public PlatformCluster Cluster { get; private set; } = null!;

    public RecordingUsageForwarder Forwarder { get; } = new();

    public async Task InitializeAsync()
    {
        ConnectionString = await (await SharedPostgres.GetAsync()).CreateDatabaseAsync("usage");
        await new DatabaseMigrator(ConnectionString, NullLogger.Instance).MigrateAsync();
        Cluster = await PlatformCluster.StartAsync(ConnectionString, silos: 2, apis: 2,
            settings: new Dictionary<string, string?>(PciClusterFixture.NoRateLimits())
            {
                ["Usage:ForwardingInterval"] = "00:00:00.200",
                ["Usage:ForwardingGrace"] = "00:00:00.500",
                ["Usage:RetentionBatchSize"] = RetentionBatchSize.ToString(),
            },
            siloServices: services => services.AddSingleton<IUsageForwarder>(Forwarder));
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    /// <summary>A tenant with an admin key, and <paramref name="customers"/> customers.</summary>
    public async Task<(TestTenant Tenant, string[] Customers)> CreateTenantWithCustomersAsync(int customers = 1, string role = "admin")
    {
        using var admin = Cluster.AdminClient();
        var tenant = await ClusterFixture.Json(await admin.PostAsJsonAsync("/v1/tenants", new { name = "Usage " + Guid.NewGuid().ToString("N")[..6] }));
        var tenantId = tenant.GetProperty("id").GetString()!;
        var key = await ClusterFixture.Json(await admin.PostAsJsonAsync($"/v1/tenants/{tenantId}/api_keys", new { role = "admin" }));
        var secret = key.GetProperty("secret").GetString()!;
        using var client = Cluster.Client(secret);
        var ids = new string[customers];
        for (var i = 0; i < customers; i++)
        {
            ids[i] = (await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/customers", new { name = $"Customer {i}" }))).GetProperty("id").GetString()!;
        }
        if (role != "admin")
        {
            key = await ClusterFixture.Json(await admin.PostAsJsonAsync($"/v1/tenants/{tenantId}/api_keys", new { role }));
        }
        return (new TestTenant(tenantId, key.GetProperty("id").GetString()!, key.GetProperty("secret").GetString()!), ids);
    }

    /// <summary>The aggregates computed straight from the usage log, to hold the grains' figures against.</summary>
    public Task<LogAggregate> LogAggregateAsync(string tenantId, string customerId, string metric) =>
        LogAggregate.ReadAsync(ConnectionString, tenantId, customerId, metric);

    public async Task<long> ExecuteAsync(string sql, params object[] parameters)
    {
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        await using var command = dataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.AddWithValue(parameter);
        }
        return await command.ExecuteNonQueryAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class UsageCollection : ICollectionFixture<UsageClusterFixture>
{
    public const string Name = "usage";
}

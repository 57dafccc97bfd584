using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Customers;
using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.Silo;

/// <summary>Its own two-silo cluster, because it stops one of them.</summary>
public sealed class SiloFailoverTests
{
    [Fact]
    public async Task StoppingTheSiloThatHostsACustomer_CustomerIsServedUnchangedFromTheOtherSilo()
    {
        var connectionString = await (await SharedPostgres.GetAsync()).CreateDatabaseAsync("failover");
        await new Platform.Silo.Database.DatabaseMigrator(connectionString, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance).MigrateAsync();
        await using var cluster = await PlatformCluster.StartAsync(connectionString, silos: 2, apis: 1);
        using var admin = cluster.AdminClient();
        var tenant = await ClusterFixture.Json(await admin.PostAsJsonAsync("/v1/tenants", new { name = "Failover" }));
        var tenantId = tenant.GetProperty("id").GetString()!;
        var key = await ClusterFixture.Json(await admin.PostAsJsonAsync($"/v1/tenants/{tenantId}/api_keys", new { role = "admin" }));
        using var client = cluster.Client(key.GetProperty("secret").GetString());
        var created = await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/customers",
            new { email = "stay@example.com", name = "Survivor", metadata = new Dictionary<string, string> { ["k"] = "v" } }));
        var customerId = created.GetProperty("id").GetString()!;

        var management = cluster.ClusterClient.GetGrain<IManagementGrain>(0);
        var grain = cluster.ClusterClient.GetGrain<ICustomerGrain>(PlatformIds.CustomerKey(tenantId, customerId));
        var hostBefore = await management.GetActivationAddress(grain);
        Assert.NotNull(hostBefore);
        var hostingSilo = cluster.Silos.Single(s => s.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress.Equals(hostBefore));

        await cluster.StopSiloAsync(hostingSilo);

        var read = await ClusterFixture.Json(await client.GetAsync($"/v1/customers/{customerId}"));
        Assert.Equal(created.ToString(), read.ToString());
        var hostAfter = await management.GetActivationAddress(grain);
        Assert.NotNull(hostAfter);
        Assert.NotEqual(hostBefore, hostAfter);
        Assert.Equal(cluster.Silos.Single().Services.GetRequiredService<ILocalSiloDetails>().SiloAddress, hostAfter);
    }
}

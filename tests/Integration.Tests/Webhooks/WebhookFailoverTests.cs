using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Webhooks;
using Platform.Integration.Tests.Infrastructure;
using Platform.Silo.Database;

namespace Platform.Integration.Tests.Webhooks;

/// <summary>Its own two-silo cluster, because it stops one of them.</summary>
public sealed class WebhookFailoverTests
{
    [Fact]
    public async Task StoppingTheSiloThatHostsAnEndpoint_WithADeliveryPending_TheOtherSiloDeliversIt()
    {
        var connectionString = await (await SharedPostgres.GetAsync()).CreateDatabaseAsync("webhook_failover");
        await new DatabaseMigrator(connectionString, NullLogger.Instance).MigrateAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        // Enough attempts that the delivery is still pending after the silo's shutdown, however long it takes.
        await using var cluster = await PlatformCluster.StartAsync(connectionString, silos: 2, apis: 1, settings: WebhookClusterFixture.Settings(maxAttempts: 50));
        var (tenantId, client) = await WebhookClusterFixture.CreateTenantAsync(cluster);
        var siloStopped = false;
        var url = receiver.NewUrl(out var path, _ => Task.FromResult(siloStopped ? 200 : 503));
        var endpointId = (await WebhookDeliveryTests.CreateEndpointAsync(client, url, "customer.created")).GetProperty("id").GetString()!;

        await client.PostAsJsonAsync("/v1/customers", new { name = "Pending" });
        await receiver.WaitAsync(path, r => r.Count >= 1, TimeSpan.FromSeconds(15));

        var management = cluster.ClusterClient.GetGrain<IManagementGrain>(0);
        var grain = cluster.ClusterClient.GetGrain<IWebhookEndpointGrain>(PlatformIds.WebhookEndpointKey(tenantId, endpointId));
        var hostBefore = await management.GetActivationAddress(grain);
        var hostingSilo = cluster.Silos.Single(s => s.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress.Equals(hostBefore));
        await cluster.StopSiloAsync(hostingSilo);
        var failuresBefore = receiver.Received(path).Count;
        siloStopped = true;

        // Nothing calls the grain now: only its reminder, taken over by the surviving silo, brings it back.
        var received = await receiver.WaitAsync(path, r => r.Any(x => x.Answered == 200), TimeSpan.FromSeconds(20));
        Assert.Equal(failuresBefore + 1, received.Count);
        Assert.Single(received.Select(r => r.DeliveryId).Distinct());
        var hostAfter = await management.GetActivationAddress(grain);
        Assert.Equal(cluster.Silos.Single().Services.GetRequiredService<ILocalSiloDetails>().SiloAddress, hostAfter);
        await WebhookDeliveryTests.WaitForDeliveryAsync(client, endpointId, "succeeded");
    }
}

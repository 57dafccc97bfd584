using System.Net.Http.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Usage;
using Platform.Integration.Tests.Infrastructure;
using Platform.Silo.Database;

namespace Platform.Integration.Tests.Usage;

/// <summary>Its own cluster: an in-process silo and API, and a silo in a child process that is SIGKILLed.</summary>
public sealed class UsageMeterFailoverTests
{
    private const int Batches = 48;
    private const int BatchSize = 50;

    [Fact]
    public async Task KillingTheSiloThatHostsAMeterMidIngest_MeterReactivatesElsewhereAndEqualsTheLog()
    {
        var connectionString = await (await SharedPostgres.GetAsync()).CreateDatabaseAsync("usagekill");
        await new DatabaseMigrator(connectionString, NullLogger.Instance).MigrateAsync();
        await using var cluster = await PlatformCluster.StartAsync(connectionString, silos: 1, apis: 1,
            settings: new Dictionary<string, string?>(PciClusterFixture.NoRateLimits())
            {
                ["Usage:ForwardingEnabled"] = "false",
                // Calls in flight to the killed silo are never answered; fail them fast so the client retries.
                ["Orleans:Messaging:ResponseTimeout"] = "00:00:05",
            });
        await using var child = await SiloProcess.StartAsync(cluster);
        var management = cluster.ClusterClient.GetGrain<IManagementGrain>(0);
        await WaitUntil(async () => (await management.GetHosts(onlyActive: true)).Count == 2, "the child silo joins");

        using var admin = cluster.AdminClient();
        var tenantId = (await ClusterFixture.Json(await admin.PostAsJsonAsync("/v1/tenants", new { name = "Kill" }))).GetProperty("id").GetString()!;
        var secret = (await ClusterFixture.Json(await admin.PostAsJsonAsync($"/v1/tenants/{tenantId}/api_keys", new { role = "admin" })))
            .GetProperty("secret").GetString()!;
        using var client = cluster.Client(secret);
        // Find a customer whose meter the child silo hosts.
        string? victim = null;
        for (var i = 0; i < 40 && victim is null; i++)
        {
            var customer = (await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/customers", new { name = $"C{i}" }))).GetProperty("id").GetString()!;
            await UsageApiTests.Report(client, UsageApiTests.Event($"probe-{customer}", customer, 1));
            var host = await management.GetActivationAddress(cluster.ClusterClient.GetGrain<IUsageMeterGrain>(PlatformIds.CustomerKey(tenantId, customer)));
            if (host?.Endpoint.Port == child.SiloPort)
            {
                victim = customer;
            }
        }
        Assert.NotNull(victim);

        var sent = 0;
        var killed = new TaskCompletionSource();
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var b = w; b < Batches; b += 4)
            {
                var events = Enumerable.Range(0, BatchSize).Select(i => UsageApiTests.Event($"k-{b}-{i}", victim, (b * BatchSize + i) % 7 + 0.5m)).ToArray();
                await ReportUntilAcknowledged(client, events);
                if (Interlocked.Increment(ref sent) == Batches / 3)
                {
                    child.Kill();
                    killed.SetResult();
                }
            }
        })).ToArray();
        await Task.WhenAll(writers);
        Assert.True(killed.Task.IsCompleted);

        var usage = await ClusterFixture.Json(await client.GetAsync($"/v1/customers/{victim}/usage?metric=api_calls"));
        var metric = usage.GetProperty("data").EnumerateArray().Single();
        var log = await LogAggregate.ReadAsync(connectionString, tenantId, victim, "api_calls");
        Assert.True(usage.GetProperty("live").GetBoolean());
        Assert.Equal(Batches * BatchSize + 1, log.Count); // every event once, the probe included
        Assert.Equal(log.Count, metric.GetProperty("count").GetInt64());
        Assert.Equal(log.Sum, metric.GetProperty("sum").GetDecimal());
        Assert.Equal(log.Max, metric.GetProperty("max").GetDecimal());
        Assert.Equal(log.Latest, metric.GetProperty("latest").GetDecimal());
        var hostAfter = await management.GetActivationAddress(cluster.ClusterClient.GetGrain<IUsageMeterGrain>(PlatformIds.CustomerKey(tenantId, victim)));
        Assert.NotEqual(child.SiloPort, hostAfter?.Endpoint.Port);
    }

    // What a well-behaved client does: resend the same events until the platform acknowledges them.
    private static async Task ReportUntilAcknowledged(HttpClient client, object[] events)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                var response = await client.PostAsJsonAsync("/v1/usage_events", new { events });
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            Assert.True(DateTime.UtcNow < deadline, "The cluster did not recover within 60 s.");
            await Task.Delay(200);
        }
    }

    private static async Task WaitUntil(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}.");
            await Task.Delay(200);
        }
    }
}

using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Integration.Tests.Infrastructure;
using Platform.Silo.Database;

namespace Platform.Integration.Tests.Api;

/// <summary>
/// Issue 22's numbers on the default limits (a cluster with no RateLimits settings at all): what a tenant's
/// backend does in its first hour passes, where the seeds' browser-sized limits refused it.
/// </summary>
public sealed class DefaultRateLimitTests : IAsyncLifetime
{
    private PlatformCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var connectionString = await (await SharedPostgres.GetAsync()).CreateDatabaseAsync("default_limits");
        await new DatabaseMigrator(connectionString, NullLogger.Instance).MigrateAsync();
        _cluster = await PlatformCluster.StartAsync(connectionString, silos: 1, apis: 1);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task FiveHundredReadsInAMinute_AndTenThousandUsageEventsInAHundredBatches_PassOnTheDefaults()
    {
        using var admin = _cluster.AdminClient();
        var tenant = await ClusterFixture.Json(await admin.PostAsJsonAsync("/v1/tenants", new { name = "First hour" }));
        var tenantId = tenant.GetProperty("id").GetString()!;
        var key = await ClusterFixture.Json(await admin.PostAsJsonAsync($"/v1/tenants/{tenantId}/api_keys", new { role = "admin" }));
        using var backend = _cluster.Client(key.GetProperty("secret").GetString());
        var customer = (await ClusterFixture.Json(await backend.PostAsJsonAsync("/v1/customers", new { name = "Busy" }))).GetProperty("id").GetString()!;
        var started = DateTime.UtcNow;

        // 500 reads, 20 at a time (a backend's connection pool).
        using var gate = new SemaphoreSlim(20);
        var reads = await Task.WhenAll(Enumerable.Range(0, 500).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                using var response = await backend.GetAsync(i % 2 == 0 ? "/v1/customers?limit=5" : $"/v1/customers/{customer}");
                return (response.StatusCode, Limit: response.Headers.GetValues("RateLimit-Limit").Single());
            }
            finally
            {
                gate.Release();
            }
        }));

        // 10,000 usage events in 100 batches of 100, one after the other.
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var batches = new List<(HttpStatusCode Status, int Accepted)>();
        for (var batch = 0; batch < 100; batch++)
        {
            var events = Enumerable.Range(0, 100).Select(i => new
            {
                event_id = $"first-hour-{batch}-{i}", customer, metric = "api_calls", quantity = 1, timestamp = now,
            });
            using var response = await backend.PostAsJsonAsync("/v1/usage_events", new { events });
            var accepted = response.IsSuccessStatusCode ? (await ClusterFixture.Json(response)).GetProperty("accepted").GetInt32() : 0;
            batches.Add((response.StatusCode, accepted));
        }
        var usage = await ClusterFixture.Json(await backend.GetAsync($"/v1/customers/{customer}/usage"));

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromMinutes(1), "the load took over a minute: the test proves nothing about a minute's limit");
        Assert.All(reads, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.All(reads, r => Assert.Equal("6000", r.Limit));
        Assert.All(batches, b => Assert.Equal((HttpStatusCode.OK, 100), b));
        var calls = usage.GetProperty("data").EnumerateArray().Single(m => m.GetProperty("metric").GetString() == "api_calls");
        Assert.Equal(10_000, calls.GetProperty("count").GetInt64());
        Assert.Equal(10_000m, calls.GetProperty("sum").GetDecimal());
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Platform.Integration.Tests.Infrastructure;
using Platform.Integration.Tests.Usage;
using Platform.Silo.Database;

namespace Platform.Integration.Tests.Reliability;

/// <summary>
/// Its own cluster, reaching PostgreSQL through a proxy the test cuts: while the database is gone,
/// writes answer 503 with Retry-After, quickly, and never a 2xx that is then lost; afterwards the
/// platform recovers by itself and every acknowledged write is there exactly once.
/// </summary>
public sealed class DatabaseOutageTests
{
    private static readonly TimeSpan RequestBudget = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task WhileTheDatabaseIsDown_WritesAre503WithRetryAfter_AndAfterItReturns_NothingAcknowledgedIsLostOrDoubled()
    {
        var direct = await (await SharedPostgres.GetAsync()).CreateDatabaseAsync("outage");
        await new DatabaseMigrator(direct, NullLogger.Instance).MigrateAsync();
        var target = new NpgsqlConnectionStringBuilder(direct);
        await using var proxy = new TcpCutProxy(new IPEndPoint(IPAddress.Loopback, target.Port));
        var throughProxy = new NpgsqlConnectionStringBuilder(direct) { Port = proxy.Port, Timeout = 3, CommandTimeout = 5 }.ConnectionString;
        await using var cluster = await PlatformCluster.StartAsync(throughProxy, silos: 1, apis: 1,
            settings: new Dictionary<string, string?>(PciClusterFixture.NoRateLimits()) { ["Usage:ForwardingEnabled"] = "false" });

        using var admin = cluster.AdminClient();
        var tenantId = (await ClusterFixture.Json(await admin.PostAsJsonAsync("/v1/tenants", new { name = "Outage" }))).GetProperty("id").GetString()!;
        var secret = (await ClusterFixture.Json(await admin.PostAsJsonAsync($"/v1/tenants/{tenantId}/api_keys", new { role = "admin" })))
            .GetProperty("secret").GetString()!;
        using var client = cluster.Client(secret);
        var customer = (await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/customers", new { name = "Before" }))).GetProperty("id").GetString()!;
        var acknowledged = new HashSet<string>();
        var reply = await UsageApiTests.Report(client, UsageApiTests.Event("before-1", customer, 2));
        acknowledged.Add("before-1");

        proxy.Cut();
        var during = new List<(string What, HttpStatusCode Status, TimeSpan Took, string? RetryAfter, string Code)>();
        for (var i = 0; i < 3; i++)
        {
            during.Add(await Timed($"usage {i}", () => client.PostAsJsonAsync("/v1/usage_events",
                new { events = new[] { UsageApiTests.Event($"during-{i}", customer, 1) } }), acknowledged, $"during-{i}"));
            during.Add(await Timed($"customer {i}", () => client.PostAsJsonAsync("/v1/customers", new { name = $"During {i}" }), null, null));
        }
        // A change refused with 503 must not show afterwards: the grain's memory may not run ahead of its storage.
        during.Add(await Timed("update", () => client.PatchAsJsonAsync($"/v1/customers/{customer}", new { name = "Unacknowledged" }), null, null));
        // Reads answered from grain memory may still succeed; they must not fail worse than a 503 either.
        var read = await Timed("read", () => client.GetAsync($"/v1/customers/{customer}"), null, null);

        Assert.All(during, d => Assert.True(d.Status == HttpStatusCode.ServiceUnavailable,
            $"{d.What}: {(int)d.Status} {d.Code} in {d.Took.TotalSeconds:F1} s; errors logged: "
            + string.Join("\n", cluster.Logs.Lines.Where(l => l.Contains("Unhandled error", StringComparison.Ordinal)).Take(2))));
        Assert.All(during, d => Assert.True(d.Took < RequestBudget, $"{d.What} took {d.Took.TotalSeconds:F1} s"));
        Assert.All(during, d => Assert.True(int.TryParse(d.RetryAfter, out var s) && s > 0, $"{d.What}: Retry-After '{d.RetryAfter}'"));
        Assert.All(during, d => Assert.Equal("service_unavailable", d.Code));
        Assert.True(read.Status is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"read: {(int)read.Status}");

        proxy.Restore();
        // The platform recovers by itself: the same writes, retried as a client would, succeed.
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            using var retry = await client.PostAsJsonAsync("/v1/usage_events",
                new { events = Enumerable.Range(0, 3).Select(i => UsageApiTests.Event($"during-{i}", customer, 1)).ToArray() });
            if (retry.IsSuccessStatusCode)
            {
                acknowledged.UnionWith(["during-0", "during-1", "during-2"]);
                break;
            }
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), $"not recovered after 30 s: {(int)retry.StatusCode}");
            await Task.Delay(250);
        }
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/v1/customers", new { name = "After" })).StatusCode);
        var unchanged = await ClusterFixture.Json(await client.GetAsync($"/v1/customers/{customer}"));
        Assert.Equal("Before", unchanged.GetProperty("name").GetString());

        await using var connection = new NpgsqlConnection(direct);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand(
            "SELECT event_id, count(*) FROM usage_events WHERE tenant_id = @t GROUP BY event_id", connection);
        count.Parameters.AddWithValue("t", tenantId);
        var logged = new Dictionary<string, long>();
        await using (var rows = await count.ExecuteReaderAsync())
        {
            while (await rows.ReadAsync())
            {
                logged[rows.GetString(0)] = rows.GetInt64(1);
            }
        }
        Assert.Equal(acknowledged.Order(), logged.Keys.Order());
        Assert.All(logged.Values, c => Assert.Equal(1, c));
        var usage = await ClusterFixture.Json(await client.GetAsync($"/v1/customers/{customer}/usage?metric=api_calls"));
        Assert.Equal(5m, usage.GetProperty("data")[0].GetProperty("sum").GetDecimal());
        _ = reply;
    }

    private static async Task<(string What, HttpStatusCode Status, TimeSpan Took, string? RetryAfter, string Code)> Timed(
        string what, Func<Task<HttpResponseMessage>> send, HashSet<string>? acknowledged, string? eventId)
    {
        var clock = Stopwatch.StartNew();
        using var response = await send();
        var took = clock.Elapsed;
        var body = await response.Content.ReadAsStringAsync();
        if (response.IsSuccessStatusCode && eventId is not null)
        {
            acknowledged!.Add(eventId);
        }
        var code = body.StartsWith('{') && JsonDocument.Parse(body).RootElement.TryGetProperty("code", out var c) ? c.GetString() ?? "" : "";
        return (what, response.StatusCode, took, response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString("0"), code);
    }
}

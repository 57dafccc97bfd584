using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.Usage;

[Collection(UsageCollection.Name)]
public sealed class UsageApiTests(UsageClusterFixture fixture)
{
    private PlatformCluster Cluster => fixture.Cluster;

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    [Fact]
    public async Task ReportUsage_DuplicatesInsideAndAcrossBatches_CountOnce()
    {
        var (tenant, customers) = await fixture.CreateTenantWithCustomersAsync();
        using var client = Cluster.Client(tenant.Secret);
        var customer = customers[0];

        var first = await Report(client, Event("e1", customer, 2), Event("e2", customer, 3), Event("e1", customer, 2));
        // e2 again with another quantity: still a duplicate, and the first write stands.
        var second = await Report(client, Event("e2", customer, 100), Event("e3", customer, 5));

        Assert.Equal(["accepted", "accepted", "duplicate"], Statuses(first));
        Assert.Equal((2, 1, 0), Counts(first));
        Assert.Equal(["duplicate", "accepted"], Statuses(second));
        var usage = await Metric(client, customer, "api_calls");
        Assert.Equal(3, usage.GetProperty("count").GetInt64());
        Assert.Equal(10m, usage.GetProperty("sum").GetDecimal());
        var log = await fixture.LogAggregateAsync(tenant.Id, customer, "api_calls");
        Assert.Equal((3L, 10m), (log.Count, log.Sum));
    }

    [Fact]
    public async Task ReportUsage_SameEventsRacedThroughTwoApiHosts_CountOnce()
    {
        var (tenant, customers) = await fixture.CreateTenantWithCustomersAsync(2);
        var events = Enumerable.Range(0, 60).Select(i => Event($"race-{i}", customers[i % 2], 1)).ToArray();

        var replies = await Task.WhenAll(Enumerable.Range(0, 16).Select(async attempt =>
        {
            using var client = Cluster.Client(tenant.Secret, index: attempt % 2);
            return await Report(client, events);
        }));

        Assert.Equal(60, replies.Sum(r => r.GetProperty("accepted").GetInt32()));
        Assert.Equal(60 * 15, replies.Sum(r => r.GetProperty("duplicate").GetInt32()));
        using var reader = Cluster.Client(tenant.Secret, index: 1);
        foreach (var customer in customers)
        {
            Assert.Equal(30, (await Metric(reader, customer, "api_calls")).GetProperty("count").GetInt64());
            Assert.Equal(30, (await fixture.LogAggregateAsync(tenant.Id, customer, "api_calls")).Count);
        }
    }

    [Fact]
    public async Task ReportUsage_InvalidEvents_AreRefusedByIndexWhileValidOnesAreKept()
    {
        var (tenant, customers) = await fixture.CreateTenantWithCustomersAsync();
        using var client = Cluster.Client(tenant.Secret);
        var c = customers[0];
        var body = $$$"""
            {"events":[
              {"event_id":"ok-1","customer":"{{{c}}}","metric":"api_calls","quantity":1},
              {"customer":"{{{c}}}","metric":"api_calls","quantity":1},
              {"event_id":"bad-q","customer":"{{{c}}}","metric":"api_calls","quantity":"12"},
              {"event_id":"neg","customer":"{{{c}}}","metric":"api_calls","quantity":-1},
              {"event_id":"bad-m","customer":"{{{c}}}","metric":"has space","quantity":1},
              {"event_id":"extra","customer":"{{{c}}}","metric":"api_calls","quantity":1,"colour":"red"},
              {"event_id":"no-cus","metric":"api_calls","quantity":1},
              {"event_id":"props","customer":"{{{c}}}","metric":"api_calls","quantity":1,"properties":{"n":7}},
              42,
              {"event_id":"ok-2","customer":"{{{c}}}","metric":"api_calls","quantity":2.5,"properties":{"region":"eu"}}
            ]}
            """;

        var reply = await ClusterFixture.Json(await client.PostAsync("/v1/usage_events", new StringContent(body, Encoding.UTF8, "application/json")));

        Assert.Equal((2, 0, 8), Counts(reply));
        var data = reply.GetProperty("data").EnumerateArray().ToArray();
        Assert.Equal(Enumerable.Range(0, 10), data.Select(d => d.GetProperty("index").GetInt32()));
        Assert.Equal("accepted", data[0].GetProperty("status").GetString());
        Assert.Equal("accepted", data[9].GetProperty("status").GetString());
        (string Code, string? Param)[] expected =
        [
            ("parameter_missing", "event_id"), ("parameter_invalid", "quantity"), ("parameter_invalid", "quantity"),
            ("parameter_invalid", "metric"), ("parameter_invalid", "colour"), ("parameter_missing", "customer"),
            ("parameter_invalid", "properties[n]"), ("parameter_invalid", null),
        ];
        for (var i = 0; i < expected.Length; i++)
        {
            var entry = data[i + 1];
            Assert.Equal("rejected", entry.GetProperty("status").GetString());
            var error = entry.GetProperty("error");
            Assert.Equal(expected[i].Code, error.GetProperty("code").GetString());
            Assert.Equal(expected[i].Param, error.GetProperty("param").GetString());
        }
        Assert.Equal("bad-q", data[2].GetProperty("event_id").GetString());
        Assert.Equal(3.5m, (await Metric(client, c, "api_calls")).GetProperty("sum").GetDecimal());
    }

    [Fact]
    public async Task ReportUsage_TimestampsOutsideTheWindow_AreRefused()
    {
        var (tenant, customers) = await fixture.CreateTenantWithCustomersAsync();
        using var client = Cluster.Client(tenant.Secret);
        var c = customers[0];

        var reply = await Report(client,
            Event("old", c, 1, Now - (long)TimeSpan.FromDays(36).TotalSeconds),
            Event("ahead", c, 1, Now + 600),
            Event("in-window-old", c, 1, Now - (long)TimeSpan.FromDays(34).TotalSeconds),
            Event("in-window-ahead", c, 1, Now + 120));

        var data = reply.GetProperty("data").EnumerateArray().ToArray();
        Assert.Equal("timestamp_too_far_in_past", data[0].GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("timestamp", data[0].GetProperty("error").GetProperty("param").GetString());
        Assert.Equal("timestamp_in_future", data[1].GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(["rejected", "rejected", "accepted", "accepted"], Statuses(reply));
        Assert.Equal(2, (await fixture.LogAggregateAsync(tenant.Id, c, "api_calls")).Count);
    }

    [Fact]
    public async Task GetUsage_EachAggregation_MatchesAWorkedExample()
    {
        var (tenant, customers) = await fixture.CreateTenantWithCustomersAsync();
        using var client = Cluster.Client(tenant.Secret);
        var c = customers[0];
        var t = Now - 600;
        // Sent out of time order: latest is the quantity of the latest *timestamp* (4), not of the last sent.
        await Report(client,
            Event("w1", c, 3, t, new() { ["region"] = "eu", ["user"] = "ann" }),
            Event("w2", c, 4, t + 300, new() { ["region"] = "us", ["user"] = "bob" }),
            Event("w3", c, 7.25m, t + 100, new() { ["region"] = "eu", ["user"] = "ann" }),
            Event("w4", c, 0.75m, t + 200, new() { ["region"] = "eu" }),
            Event("s1", c, 9, t, null, "storage_gb"));

        var live = await ClusterFixture.Json(await client.GetAsync($"/v1/customers/{c}/usage"));
        Assert.True(live.GetProperty("live").GetBoolean());
        var calls = live.GetProperty("data").EnumerateArray().Single(m => m.GetProperty("metric").GetString() == "api_calls");
        Assert.Equal(15m, calls.GetProperty("sum").GetDecimal());
        Assert.Equal(4, calls.GetProperty("count").GetInt64());
        Assert.Equal(7.25m, calls.GetProperty("max").GetDecimal());
        Assert.Equal(4m, calls.GetProperty("latest").GetDecimal());
        Assert.Equal(2, calls.GetProperty("unique_counts").GetProperty("region").GetInt64());
        Assert.Equal(2, calls.GetProperty("unique_counts").GetProperty("user").GetInt64());
        Assert.Equal(2, live.GetProperty("data").GetArrayLength());

        // The same range through the log (any range other than the current period is a SQL aggregate).
        var from = live.GetProperty("from").GetInt64();
        var fromLog = await ClusterFixture.Json(await client.GetAsync($"/v1/customers/{c}/usage?metric=api_calls&from={from}&to={Now + 3600}"));
        Assert.False(fromLog.GetProperty("live").GetBoolean());
        Assert.Equal(calls.ToString(), fromLog.GetProperty("data").EnumerateArray().Single().ToString());
        var storage = await Metric(client, c, "storage_gb");
        Assert.Equal((9m, 1L, 9m, 9m), (storage.GetProperty("sum").GetDecimal(), storage.GetProperty("count").GetInt64(),
            storage.GetProperty("max").GetDecimal(), storage.GetProperty("latest").GetDecimal()));
    }

    [Fact]
    public async Task Usage_OfAnotherTenantsCustomer_IsRejectedAnd404()
    {
        var (owner, customers) = await fixture.CreateTenantWithCustomersAsync();
        var (intruder, _) = await fixture.CreateTenantWithCustomersAsync();
        using var ownerClient = Cluster.Client(owner.Secret);
        using var intruderClient = Cluster.Client(intruder.Secret);
        await Report(ownerClient, Event("mine", customers[0], 5));

        var reply = await Report(intruderClient, Event("theirs", customers[0], 1000), Event("nobody", "cus_DoesNotExist0000000", 1));

        foreach (var entry in reply.GetProperty("data").EnumerateArray())
        {
            Assert.Equal("resource_missing", entry.GetProperty("error").GetProperty("code").GetString());
            Assert.Equal("customer", entry.GetProperty("error").GetProperty("param").GetString());
        }
        Assert.Equal(HttpStatusCode.NotFound, (await intruderClient.GetAsync($"/v1/customers/{customers[0]}/usage")).StatusCode);
        Assert.Equal(5m, (await Metric(ownerClient, customers[0], "api_calls")).GetProperty("sum").GetDecimal());
        Assert.Equal(0, (await fixture.LogAggregateAsync(intruder.Id, customers[0], "api_calls")).Rows);
    }

    [Fact]
    public async Task ReportUsage_SingleEvent_IsAcceptedOrRefusedAs400()
    {
        var (tenant, customers) = await fixture.CreateTenantWithCustomersAsync();
        using var client = Cluster.Client(tenant.Secret);

        var accepted = await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/usage_events",
            new { event_id = "one", customer = customers[0], metric = "api_calls", quantity = 1 }));
        var again = await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/usage_events",
            new { event_id = "one", customer = customers[0], metric = "api_calls", quantity = 1 }));
        var refused = await client.PostAsJsonAsync("/v1/usage_events", new { event_id = "two", customer = customers[0], quantity = 1 });

        Assert.Equal(["accepted"], Statuses(accepted));
        Assert.Equal(["duplicate"], Statuses(again));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("parameter_missing", "metric"), (problem.GetProperty("code").GetString(), problem.GetProperty("param").GetString()));
    }

    [Theory]
    [InlineData("""{"events":[]}""", "events")]
    [InlineData("""{"events":{}}""", "events")]
    [InlineData("""{"events":[{"event_id":"x"}],"customer":"cus_x"}""", "customer")]
    public async Task ReportUsage_MalformedBatch_Is400(string body, string param)
    {
        var (tenant, _) = await fixture.CreateTenantWithCustomersAsync(0);
        using var client = Cluster.Client(tenant.Secret);

        var response = await client.PostAsync("/v1/usage_events", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(param, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("param").GetString());
    }

    [Fact]
    public async Task ReportUsage_MoreThanAThousandEvents_Is400()
    {
        var (tenant, customers) = await fixture.CreateTenantWithCustomersAsync();
        using var client = Cluster.Client(tenant.Secret);

        var response = await client.PostAsJsonAsync("/v1/usage_events",
            new { events = Enumerable.Range(0, 1001).Select(i => Event($"big-{i}", customers[0], 1)).ToArray() });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Usage_Permissions_ReadKeyCannotReportAndOnlyTheOperatorDeletes()
    {
        var (reader, customers) = await fixture.CreateTenantWithCustomersAsync(1, role: "read");
        using var client = Cluster.Client(reader.Secret);
        using var admin = Cluster.AdminClient();

        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/v1/usage_events", Event("r", customers[0], 1))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v1/customers/{customers[0]}/usage")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.DeleteAsync($"/v1/usage_events?before={Now - 200 * 86400}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.PostAsJsonAsync("/v1/usage_events", Event("r", customers[0], 1))).StatusCode);
    }

    [Fact]
    public async Task DeleteUsageEvents_RefusesARecentCutOffAndDeletesOldRowsInBatches()
    {
        var (tenant, customers) = await fixture.CreateTenantWithCustomersAsync();
        using var client = Cluster.Client(tenant.Secret);
        await Report(client, Event("recent", customers[0], 1));
        // The API refuses events this old, so old rows are planted directly, as if kept since then.
        await fixture.ExecuteAsync(
            """
            INSERT INTO usage_events (tenant_id, event_id, customer_id, metric, quantity, ts)
            SELECT $1, 'old-' || g, $2, 'api_calls', 1, now() - interval '200 days' FROM generate_series(1, 7) g
            """, tenant.Id, customers[0]);
        using var admin = Cluster.AdminClient();

        var tooRecent = await admin.DeleteAsync($"/v1/usage_events?before={Now - 30 * 86400}");
        var deleted = await ClusterFixture.Json(await admin.DeleteAsync($"/v1/usage_events?before={Now - 100 * 86400}"));

        Assert.Equal(HttpStatusCode.BadRequest, tooRecent.StatusCode);
        Assert.Equal("before", (await tooRecent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("param").GetString());
        Assert.Equal(7, deleted.GetProperty("deleted").GetInt64());
        Assert.Equal(3, deleted.GetProperty("batches").GetInt32()); // 3 + 3 + 1 with a batch size of 3
        Assert.False(deleted.GetProperty("has_more").GetBoolean());
        Assert.Equal(1, (await fixture.LogAggregateAsync(tenant.Id, customers[0], "api_calls")).Rows);
    }

    [Fact]
    public async Task ForwardingToStripe_RetriesAfterFailuresAndSendsEveryEventWithAStableIdentifier()
    {
        var (tenant, customers) = await fixture.CreateTenantWithCustomersAsync(2);
        using var client = Cluster.Client(tenant.Secret);
        fixture.Forwarder.FailNext(tenant.Id, 3);

        // Ingestion answers while the PCI side fails.
        var reply = await Report(client, Enumerable.Range(0, 250).Select(i => Event($"fwd-{i}", customers[i % 2], i)).ToArray());
        Assert.Equal(250, reply.GetProperty("accepted").GetInt32());

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (fixture.Forwarder.ReceivedFor(tenant.Id).Count < 250 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        var received = fixture.Forwarder.ReceivedFor(tenant.Id);
        Assert.Equal(250, received.Count);
        Assert.Equal(Enumerable.Range(0, 250).Select(i => $"fwd-{i}").Order(), received.Select(e => e.EventId).Order());
        Assert.All(received, e => Assert.True(e.Identifier.Length <= 100));
        Assert.Equal(250, received.Select(e => e.Identifier).Distinct().Count());
        Assert.All(fixture.Forwarder.Calls.Where(c => c.TenantId == tenant.Id), c => Assert.InRange(c.Size, 1, 100));
        Assert.True(fixture.Forwarder.Calls.Count(c => c.TenantId == tenant.Id) > 3);
        Assert.Equal(Enumerable.Range(0, 250).Sum(), received.Sum(e => e.Quantity));
    }

    [Fact]
    public async Task ReportUsage_WithACustomerKey_ReportsForItselfOnly()
    {
        var (tenant, customers) = await fixture.CreateTenantWithCustomersAsync(2);
        using var backend = Cluster.Client(tenant.Secret);
        var key = await ClusterFixture.Json(await backend.PostAsync($"/v1/customers/{customers[0]}/api_keys", null));
        using var instance = Cluster.Client();
        instance.DefaultRequestHeaders.Add("X-API-Key", key.GetProperty("secret").GetString());

        var reply = await ClusterFixture.Json(await instance.PostAsJsonAsync("/v1/usage_events", new
        {
            events = new object[]
            {
                new { event_id = "self-1", metric = "api_calls", quantity = 2 },
                new { event_id = "self-2", customer = customers[1], metric = "api_calls", quantity = 5 },
            },
        }));

        Assert.Equal(["accepted", "rejected"], Statuses(reply));
        Assert.Equal("insufficient_permissions", reply.GetProperty("data")[1].GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(2m, (await Metric(instance, customers[0], "api_calls")).GetProperty("sum").GetDecimal());
        Assert.Equal(HttpStatusCode.NotFound, (await instance.GetAsync($"/v1/customers/{customers[1]}/usage")).StatusCode);
    }

    internal static object Event(string id, string customer, decimal quantity, long? timestamp = null,
        Dictionary<string, string>? properties = null, string metric = "api_calls") =>
        new { event_id = id, customer, metric, quantity, timestamp = timestamp ?? Now, properties };

    internal static async Task<JsonElement> Report(HttpClient client, params object[] events) =>
        await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/usage_events", new { events }));

    private static async Task<JsonElement> Metric(HttpClient client, string customer, string metric)
    {
        var usage = await ClusterFixture.Json(await client.GetAsync($"/v1/customers/{customer}/usage?metric={metric}"));
        return usage.GetProperty("data").EnumerateArray().Single();
    }

    private static string[] Statuses(JsonElement reply) =>
        reply.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("status").GetString()!).ToArray();

    private static (int, int, int) Counts(JsonElement reply) =>
        (reply.GetProperty("accepted").GetInt32(), reply.GetProperty("duplicate").GetInt32(), reply.GetProperty("rejected").GetInt32());
}

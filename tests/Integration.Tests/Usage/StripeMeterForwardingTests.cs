using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Usage;
using Platform.Grains.Usage;
using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.Usage;

/// <summary>
/// Usage reported through the API reaches the Stripe fake over HTTP through the real PCI StripeMeterGrain
/// on the pci silo (v2 meter event stream), exactly once per event, whatever the fake does first.
/// </summary>
[Collection(PciClusterCollection.Name)]
public sealed class StripeMeterForwardingTests(PciClusterFixture fixture)
{
    private const string StreamPath = "/v2/billing/meter_event_stream";
    private static readonly TimeSpan _deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task ReportedUsage_FakeFailsFirstCalls_ReachesStripeExactlyOnceEach()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = fixture.Cluster.Client(tenant.Secret);
        var customers = new[] { await NewCustomerAsync(client), await NewCustomerAsync(client) };
        // More failures than the HTTP retries of one request absorb: the forwarder itself must resend.
        fixture.Stripe.Faults.FailNext(StreamPath, count: 10, statusCode: 500);
        var events = Enumerable.Range(0, 150).Select(i => new
        {
            event_id = $"fwd-{i}",
            customer = customers[i % 2],
            metric = "api_calls",
            quantity = 1 + (i % 3),
            timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        }).ToArray();

        var report = await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/usage_events", new { events }));
        // The same events again (a client retry): duplicates here, and never a second meter event at Stripe.
        var again = await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/usage_events", new { events }));

        Assert.Equal(150, report.GetProperty("accepted").GetInt32());
        Assert.Equal(150, again.GetProperty("duplicate").GetInt32());
        var stripeCustomers = await StripeCustomersAsync(tenant.Id, customers);
        await WaitUntilAsync(() => customers.All(c => fixture.Stripe.State.GetMeterEventCount(stripeCustomers[c], "api_calls") == 75));
        foreach (var customer in customers)
        {
            var expected = events.Where(e => e.customer == customer).Sum(e => e.quantity);
            Assert.Equal(expected, fixture.Stripe.State.GetMeterTotal(stripeCustomers[customer], "api_calls"));
        }
        Assert.All(events, e => Assert.True(fixture.Stripe.State.HasMeterEvent(UsageForwardingGrain.Identifier(tenant.Id, e.event_id))));
        var streamCalls = fixture.Stripe.Requests.Entries.Where(r => r.Path == StreamPath).ToArray();
        Assert.Equal(10, streamCalls.Count(r => r.StatusCode == 500));
        Assert.Contains(streamCalls, r => r.StatusCode == 200);
    }

    [Fact]
    public async Task ReportUsage_StripeUnreachable_IngestionAnswersAndForwardingCatchesUpLater()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = fixture.Cluster.Client(tenant.Secret);
        var customer = await NewCustomerAsync(client);
        var stripeCustomer = (await StripeCustomersAsync(tenant.Id, [customer]))[customer];
        fixture.Stripe.Faults.FailNext(StreamPath, count: 100_000, statusCode: 503);
        try
        {
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < 3; i++)
            {
                var reply = await client.PostAsJsonAsync("/v1/usage_events", new { event_id = $"down-{i}", customer, metric = "api_calls", quantity = 2 });
                Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
            }
            // Let forwarding fail at least once while Stripe is down; ingestion was not held up by it.
            await WaitUntilAsync(() => fixture.Stripe.Requests.Entries.Any(r => r.Path == StreamPath && r.StatusCode == 503));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"ingestion took {watch.Elapsed}");
            Assert.Equal(0, fixture.Stripe.State.GetMeterEventCount(stripeCustomer, "api_calls"));
            var usage = await ClusterFixture.Json(await client.GetAsync($"/v1/customers/{customer}/usage?metric=api_calls"));
            Assert.Equal(6m, usage.GetProperty("data")[0].GetProperty("sum").GetDecimal());
        }
        finally
        {
            fixture.Stripe.Faults.Clear();
        }

        await WaitUntilAsync(() => fixture.Stripe.State.GetMeterEventCount(stripeCustomer, "api_calls") == 3);
        Assert.Equal(6m, fixture.Stripe.State.GetMeterTotal(stripeCustomer, "api_calls"));
    }

    [Fact]
    public async Task ReportedUsage_OneEventRefusedForGood_IsDeadLetteredAndTheRestArrive()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = fixture.Cluster.Client(tenant.Secret);
        var customer = await NewCustomerAsync(client);
        var stripeCustomer = (await StripeCustomersAsync(tenant.Id, [customer]))[customer];
        var refusedIdentifier = UsageForwardingGrain.Identifier(tenant.Id, "dl-7");
        // Every request carrying that event is refused for good (400), however often it is resent.
        fixture.Stripe.Faults.RefuseNext(StreamPath, refusedIdentifier, count: 1000, code: "parameter_invalid");
        var deadLetteredBefore = await DeadLetteredMetricAsync();
        try
        {
            var events = Enumerable.Range(0, 20).Select(i => new { event_id = $"dl-{i}", customer, metric = "api_calls", quantity = 1 }).ToArray();
            await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/usage_events", new { events }));

            await WaitUntilAsync(() => fixture.Stripe.State.GetMeterEventCount(stripeCustomer, "api_calls") == 19);
            var letters = await WaitForAsync(async () =>
            {
                var list = await ClusterFixture.Json(await client.GetAsync("/v1/usage_events/dead_letters"));
                return list.GetProperty("data").GetArrayLength() > 0 ? list : (JsonElement?)null;
            });
            var letter = Assert.Single(letters.GetProperty("data").EnumerateArray());
            Assert.Equal("usage_dead_letter", letter.GetProperty("object").GetString());
            Assert.Equal("dl-7", letter.GetProperty("event_id").GetString());
            Assert.Equal(customer, letter.GetProperty("customer").GetString());
            Assert.Equal("parameter_invalid", letter.GetProperty("reason").GetString());
            Assert.False(fixture.Stripe.State.HasMeterEvent(refusedIdentifier));
            var audit = await ClusterFixture.Json(await client.GetAsync("/v1/audit_events?limit=100"));
            Assert.Contains(audit.GetProperty("data").EnumerateArray(), e => e.GetProperty("action").GetString() == "usage_event.dead_lettered");
            // The exporter caches a scrape briefly.
            await WaitForAsync(async () => await DeadLetteredMetricAsync() - deadLetteredBefore >= 1 ? true : (bool?)null);
            Assert.Equal(1, await DeadLetteredMetricAsync() - deadLetteredBefore);
        }
        finally
        {
            fixture.Stripe.Faults.Clear();
        }
        using var admin = fixture.Cluster.AdminClient();
        var forOperator = await ClusterFixture.Json(await admin.GetAsync($"/v1/usage_events/dead_letters?tenant={tenant.Id}"));
        Assert.Equal("dl-7", forOperator.GetProperty("data")[0].GetProperty("event_id").GetString());
        var other = await fixture.CreateTenantAsync();
        using var otherClient = fixture.Cluster.Client(other.Secret);
        Assert.Equal(HttpStatusCode.NotFound, (await otherClient.GetAsync($"/v1/usage_events/dead_letters?tenant={tenant.Id}")).StatusCode);
    }

    [Fact]
    public async Task SendMeterEvents_CustomerUnknownToUs_IsDeadLetteredWithoutCallingStripe()
    {
        var tenant = await fixture.CreateTenantAsync();
        var ghost = PlatformIds.NewCustomerId();
        var meterEvent = new StripeMeterEvent(UsageForwardingGrain.Identifier(tenant.Id, "ghost-1"), ghost, "api_calls", 4m, DateTimeOffset.UtcNow, "ghost-1");
        var meter = fixture.Cluster.ClusterClient.GetGrain<IStripeMeterGrain>(tenant.Id);
        var streamCallsBefore = fixture.Stripe.Requests.Count("POST", StreamPath);

        await meter.SendMeterEventsAsync([meterEvent], CancellationToken.None);
        // Resent (as the forwarder would after a failure): recorded once.
        await meter.SendMeterEventsAsync([meterEvent], CancellationToken.None);

        var letter = Assert.Single(await meter.ListDeadLettersAsync(10));
        Assert.Equal(("ghost-1", ghost, "customer_missing", 4m), (letter.EventId, letter.CustomerId, letter.Reason, letter.Quantity));
        Assert.Equal(streamCallsBefore, fixture.Stripe.Requests.Count("POST", StreamPath));
        Assert.False(fixture.Stripe.State.HasMeterEvent(meterEvent.Identifier));
    }

    private async Task<double> DeadLetteredMetricAsync() =>
        (await Telemetry.PrometheusScrape.TakeAsync(PlatformCluster.HttpAddress(fixture.Cluster.SiloWithRole("pci"))))
            .Sum("platform_billing_meter_events_total", "outcome=\"dead_lettered\"", "reason=\"parameter_invalid\"");

    private static async Task<string> NewCustomerAsync(HttpClient client) =>
        (await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/customers", new { name = "Metered" }))).GetProperty("id").GetString()!;

    /// <summary>Our customer id → the Stripe customer the PCI side created for it (tagged with our ids).</summary>
    private async Task<Dictionary<string, string>> StripeCustomersAsync(string tenantId, IReadOnlyList<string> customers)
    {
        // Creating a setup intent makes the Stripe customer now, so the test knows its id before usage flows.
        using var client = fixture.Cluster.Client((await fixture.CreateKeyAsync(tenantId, "admin")));
        foreach (var customer in customers)
        {
            (await client.PostAsJsonAsync("/v1/setup_intents", new { customer })).EnsureSuccessStatusCode();
        }
        return customers.ToDictionary(c => c, c => fixture.Stripe.State.List("customer")
            .Single(s => (string?)s["metadata"]?["customer_id"] == c && (string?)s["metadata"]?["tenant_id"] == tenantId)["id"]!.GetValue<string>());
    }

    private static async Task WaitUntilAsync(Func<bool> condition) =>
        await WaitForAsync(() => Task.FromResult(condition() ? true : (bool?)null));

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe) where T : struct
    {
        var deadline = DateTime.UtcNow + _deadline;
        while (true)
        {
            if (await probe() is { } found)
            {
                return found;
            }
            Assert.True(DateTime.UtcNow < deadline, "condition not met within " + _deadline);
            await Task.Delay(100);
        }
    }
}

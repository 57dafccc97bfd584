using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Grains.Interfaces.Common;
using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.Api;

/// <summary>
/// Fraud limits in the payment path, over real HTTP against two API hosts, the pci silo and the Stripe fake:
/// refusals come before Stripe sees anything, and concurrent payments never exceed a limit.
/// </summary>
[Collection(PciClusterCollection.Name)]
public sealed class PaymentLimitsTests(PciClusterFixture fixture)
{
    private PlatformCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task CreatePayment_ConcurrentlyThroughTwoApiHosts_NeverExceedsTheHourlyCount()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var admin = Cluster.Client(tenant.Secret);
        await SetLimitsAsync(admin, tenant.Id, new { hourly = new { max_payments = 5 } });
        var customer = await NewCustomerAsync(admin);
        var hitsBefore = await LimitHitsAsync("hourly_count");

        var replies = await Task.WhenAll(Enumerable.Range(0, 12).Select(async i =>
        {
            using var client = Cluster.Client(tenant.Secret, index: i % 2);
            var response = await Post(client, new { customer, amount = 100, currency = "usd" }, $"count-{tenant.Id}-{i}");
            return (Status: response.StatusCode, RetryAfter: response.Headers.RetryAfter?.Delta, Body: await response.Content.ReadAsStringAsync());
        }));

        Assert.Equal(5, replies.Count(r => r.Status == HttpStatusCode.OK));
        var refused = replies.Where(r => r.Status != HttpStatusCode.OK).ToArray();
        Assert.Equal(7, refused.Length);
        Assert.All(refused, r =>
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, r.Status);
            Assert.Equal("velocity_limit_exceeded", JsonDocument.Parse(r.Body).RootElement.GetProperty("code").GetString());
            Assert.InRange(r.RetryAfter!.Value, TimeSpan.FromSeconds(3000), TimeSpan.FromHours(1));
        });
        Assert.Equal(5, StripePaymentIntentsOf(customer).Count);
        var audit = await ClusterFixture.Json(await admin.GetAsync("/v1/audit_events?limit=100"));
        Assert.Equal(7, audit.GetProperty("data").EnumerateArray().Count(e => e.GetProperty("action").GetString() == "payment.limit_exceeded"));
        // The exporter caches a scrape briefly: wait for the count to show, then hold it to exactly 7.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await LimitHitsAsync("hourly_count") - hitsBefore < 7 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }
        Assert.Equal(7, await LimitHitsAsync("hourly_count") - hitsBefore);
    }

    [Fact]
    public async Task CreatePayment_ConcurrentlyThroughTwoApiHosts_NeverExceedsTheDailyAmount()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var admin = Cluster.Client(tenant.Secret);
        await SetLimitsAsync(admin, tenant.Id, new { daily = new { max_amount = new { usd = 1000 } } });
        var customer = await NewCustomerAsync(admin);

        var statuses = await Task.WhenAll(Enumerable.Range(0, 10).Select(async i =>
        {
            using var client = Cluster.Client(tenant.Secret, index: i % 2);
            return (await Post(client, new { customer, amount = 300, currency = "usd" }, $"amount-{tenant.Id}-{i}")).StatusCode;
        }));
        // Another currency is not limited by the usd amount.
        var euros = await Post(admin, new { customer, amount = 5000, currency = "eur" }, $"eur-{tenant.Id}");

        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(7, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(HttpStatusCode.OK, euros.StatusCode);
        var usd = StripePaymentIntentsOf(customer).Where(p => (string?)p["currency"] == "usd").ToList();
        Assert.Equal(900, usd.Sum(p => (long)p["amount"]!));
    }

    [Fact]
    public async Task CreatePayment_AboveTheAmountPerPayment_Is402BeforeStripeSeesAnything()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var admin = Cluster.Client(tenant.Secret);
        await SetLimitsAsync(admin, tenant.Id, new { max_amount_per_payment = new { usd = 5000 } });
        var customer = await NewCustomerAsync(admin);
        var key = $"big-{tenant.Id}";

        var tooLarge = await Post(admin, new { customer, amount = 5001, currency = "usd" }, key);
        // Not even the customer's Stripe customer was created for the refused payment.
        var requestsAfterRefusal = fixture.Stripe.Requests.Entries.Count(r => r.Body.Contains(customer, StringComparison.Ordinal));
        var atLimit = await Post(admin, new { customer, amount = 5000, currency = "usd" }, key + "-ok");

        Assert.Equal(HttpStatusCode.PaymentRequired, tooLarge.StatusCode);
        var problem = await BodyOf(tooLarge);
        Assert.Equal("amount_too_large", problem.GetProperty("code").GetString());
        Assert.Equal("amount", problem.GetProperty("param").GetString());
        Assert.Equal(0, requestsAfterRefusal);
        var refusedPayment = PlatformIds.PaymentIdFor(tenant.Id, key);
        Assert.DoesNotContain(fixture.Stripe.Requests.Entries, r => r.Body.Contains(refusedPayment, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, atLimit.StatusCode);
        Assert.Single(StripePaymentIntentsOf(customer));
    }

    [Fact]
    public async Task CreatePayment_VelocityRefusal_ComesBeforeAnyStripeRequestAndARetryOfACreatedPaymentStillAnswers()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var admin = Cluster.Client(tenant.Secret);
        await SetLimitsAsync(admin, tenant.Id, new { hourly = new { max_payments = 1 } });
        var customer = await NewCustomerAsync(admin);
        var first = await Post(admin, new { customer, amount = 100, currency = "usd" }, $"v-{tenant.Id}-1");
        var stripeRequests = fixture.Stripe.Requests.Entries.Count;

        var refused = await Post(admin, new { customer, amount = 100, currency = "usd" }, $"v-{tenant.Id}-2");
        var stripeRequestsAfterRefusal = fixture.Stripe.Requests.Entries.Count(r => r.Body.Contains(customer, StringComparison.Ordinal)
            || r.Body.Contains(PlatformIds.PaymentIdFor(tenant.Id, $"v-{tenant.Id}-2"), StringComparison.Ordinal));
        var replay = await Post(admin, new { customer, amount = 100, currency = "usd" }, $"v-{tenant.Id}-1");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        Assert.True(stripeRequests > 0);
        // The first payment's own requests named the customer; the refused one added none.
        Assert.Equal(fixture.Stripe.Requests.Entries.Take(stripeRequests).Count(r => r.Body.Contains(customer, StringComparison.Ordinal)), stripeRequestsAfterRefusal);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal((await ClusterFixture.Json(first)).GetProperty("id").GetString(), (await ClusterFixture.Json(replay)).GetProperty("id").GetString());
        Assert.Single(StripePaymentIntentsOf(customer));
    }

    [Fact]
    public async Task PaymentLimits_SetByTenantAdminOrOperator_ReadBackValidatedAndIsolated()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var tenantAdmin = Cluster.Client(tenant.Secret);
        using var operatorClient = Cluster.AdminClient();
        using var reader = Cluster.Client(await fixture.CreateKeyAsync(tenant.Id, "read"));
        var other = await fixture.CreateTenantAsync();
        using var otherAdmin = Cluster.Client(other.Secret);

        var set = await SetLimitsAsync(tenantAdmin, tenant.Id,
            new { max_amount_per_payment = new { USD = 10000 }, hourly = new { max_payments = 3 }, daily = new { max_payments = 10, max_amount = new { eur = 50000 } } });
        var read = await ClusterFixture.Json(await operatorClient.GetAsync($"/v1/tenants/{tenant.Id}/payment_limits"));
        var byOperator = await ClusterFixture.Json(await operatorClient.PostAsJsonAsync($"/v1/tenants/{tenant.Id}/payment_limits", new { hourly = new { max_payments = 4 } }));
        var badCurrency = await tenantAdmin.PostAsJsonAsync($"/v1/tenants/{tenant.Id}/payment_limits", new { max_amount_per_payment = new { dollars = 5 } });
        var badCount = await tenantAdmin.PostAsJsonAsync($"/v1/tenants/{tenant.Id}/payment_limits", new { hourly = new { max_payments = 0 } });
        var emptyWindow = await tenantAdmin.PostAsJsonAsync($"/v1/tenants/{tenant.Id}/payment_limits", new { daily = new { } });
        var readOnly = await reader.PostAsJsonAsync($"/v1/tenants/{tenant.Id}/payment_limits", new { });
        var otherTenant = await otherAdmin.GetAsync($"/v1/tenants/{tenant.Id}/payment_limits");
        var otherTenantWrite = await otherAdmin.PostAsJsonAsync($"/v1/tenants/{tenant.Id}/payment_limits", new { });

        Assert.Equal("payment_limits", set.GetProperty("object").GetString());
        Assert.Equal(10000, set.GetProperty("max_amount_per_payment").GetProperty("usd").GetInt64());
        Assert.Equal(3, set.GetProperty("hourly").GetProperty("max_payments").GetInt32());
        Assert.Equal(50000, read.GetProperty("daily").GetProperty("max_amount").GetProperty("eur").GetInt64());
        Assert.Equal(4, byOperator.GetProperty("hourly").GetProperty("max_payments").GetInt32());
        Assert.Equal(JsonValueKind.Null, byOperator.GetProperty("daily").ValueKind);
        await AssertProblem(badCurrency, HttpStatusCode.BadRequest, "parameter_invalid", "max_amount_per_payment[dollars]");
        await AssertProblem(badCount, HttpStatusCode.BadRequest, "parameter_invalid", "hourly.max_payments");
        await AssertProblem(emptyWindow, HttpStatusCode.BadRequest, "parameter_invalid", "daily");
        Assert.Equal(HttpStatusCode.Forbidden, readOnly.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherTenant.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherTenantWrite.StatusCode);
        var stillFour = await ClusterFixture.Json(await tenantAdmin.GetAsync($"/v1/tenants/{tenant.Id}/payment_limits"));
        Assert.Equal(4, stillFour.GetProperty("hourly").GetProperty("max_payments").GetInt32());
    }

    private async Task<double> LimitHitsAsync(string limit) =>
        (await Telemetry.PrometheusScrape.TakeAsync(PlatformCluster.HttpAddress(Cluster.SiloWithRole("pci"))))
            .Sum("platform_billing_payment_limit_hits_total", $"limit=\"{limit}\"", "currency=\"usd\"");

    private static async Task<JsonElement> SetLimitsAsync(HttpClient client, string tenantId, object limits) =>
        await ClusterFixture.Json(await client.PostAsJsonAsync($"/v1/tenants/{tenantId}/payment_limits", limits));

    private static async Task<string> NewCustomerAsync(HttpClient client) =>
        (await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/customers", new { name = "Limited" }))).GetProperty("id").GetString()!;

    private static async Task<HttpResponseMessage> Post(HttpClient client, object body, string idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/payment_intents") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await client.SendAsync(request);
    }

    private static async Task<JsonElement> BodyOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    private List<System.Text.Json.Nodes.JsonObject> StripePaymentIntentsOf(string customerId) =>
        fixture.Stripe.State.List("payment_intent").Where(p => (string?)p["metadata"]?["customer_id"] == customerId).ToList();

    private static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status, string code, string param)
    {
        Assert.Equal(status, response.StatusCode);
        var problem = await BodyOf(response);
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Equal(param, problem.GetProperty("param").GetString());
    }
}

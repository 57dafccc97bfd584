using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.Plans;

/// <summary>GET /v1/subscriptions with Stripe's filters, newest first, and only the caller tenant's.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SubscriptionListTests(ClusterFixture fixture)
{
    private PlatformCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task ListSubscriptions_FiltersPagesAndStaysInTheTenant()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);
        var trial = await IdOf(client.PostAsJsonAsync("/v1/plans", PlansApiTests.ProPlan()));
        var paid = await IdOf(client.PostAsJsonAsync("/v1/plans", new { code = "paid", interval = "month", currency = "usd", amount = 900 }));
        var customers = new List<string>();
        var subscriptions = new List<string>();
        foreach (var plan in new[] { trial, paid, trial })
        {
            var customer = await IdOf(client.PostAsJsonAsync("/v1/customers", new { name = "Subscriber" }));
            customers.Add(customer);
            subscriptions.Add(await IdOf(client.PostAsJsonAsync("/v1/subscriptions", new { customer, plan })));
        }
        var unsubscribed = await IdOf(client.PostAsJsonAsync("/v1/customers", new { name = "Browsing" }));
        await ClusterFixture.Json(await client.PostAsync($"/v1/subscriptions/{subscriptions[2]}/cancel", null));

        var all = await ListAsync(client, "");
        var trialing = await ListAsync(client, "?status=trialing");
        var canceled = await ListAsync(client, "?status=canceled");
        var active = await ListAsync(client, "?status=active");
        var ofCustomer = await ListAsync(client, $"?customer={customers[1]}");
        var ofUnsubscribed = await ListAsync(client, $"?customer={unsubscribed}");
        var first = await ClusterFixture.Json(await client.GetAsync("/v1/subscriptions?limit=2"));
        var next = await ListAsync(client, $"?limit=2&starting_after={subscriptions[1]}");
        var previous = await ListAsync(client, $"?limit=2&ending_before={subscriptions[0]}");
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var future = await ListAsync(client, $"?created[gte]={now + 3600}");
        var past = await ListAsync(client, $"?created[gte]={now - 3600}&created[lte]={now + 60}");

        Assert.Equal([subscriptions[2], subscriptions[1], subscriptions[0]], all);
        Assert.Equal([subscriptions[0]], trialing);
        Assert.Equal([subscriptions[2]], canceled);
        Assert.Equal([subscriptions[1]], active);
        Assert.Equal([subscriptions[1]], ofCustomer);
        Assert.Empty(ofUnsubscribed);
        Assert.True(first.GetProperty("has_more").GetBoolean());
        Assert.Equal([subscriptions[2], subscriptions[1]], first.GetProperty("data").EnumerateArray().Select(s => s.GetProperty("id").GetString()!));
        Assert.Equal([subscriptions[0]], next);
        Assert.Equal([subscriptions[2], subscriptions[1]], previous);
        Assert.Empty(future);
        Assert.Equal(3, past.Count);

        // Another tenant sees none of these, cannot page from them, and does not know the customer.
        var other = await fixture.CreateTenantAsync();
        using var intruder = Cluster.Client(other.Secret);
        Assert.Empty(await ListAsync(intruder, ""));
        await AssertProblemAsync(await intruder.GetAsync($"/v1/subscriptions?starting_after={subscriptions[0]}"), HttpStatusCode.BadRequest, "resource_missing", "starting_after");
        await AssertProblemAsync(await intruder.GetAsync($"/v1/subscriptions?ending_before={subscriptions[0]}"), HttpStatusCode.BadRequest, "resource_missing", "ending_before");
        await AssertProblemAsync(await intruder.GetAsync($"/v1/subscriptions?customer={customers[0]}"), HttpStatusCode.NotFound, "resource_missing", "customer");
    }

    [Theory]
    [InlineData("?status=sleeping", "status")]
    [InlineData("?created[gte]=yesterday", "created[gte]")]
    [InlineData("?created[lte]=-5", "created[lte]")]
    [InlineData("?limit=101", "limit")]
    [InlineData("?starting_after=sub_nope", "starting_after")]
    public async Task ListSubscriptions_BadFilter_NamesIt(string query, string param)
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);

        using var response = await client.GetAsync("/v1/subscriptions" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(param, problem.GetProperty("param").GetString());
    }

    private static async Task<string> IdOf(Task<HttpResponseMessage> response) =>
        (await ClusterFixture.Json(await response)).GetProperty("id").GetString()!;

    private static async Task<List<string>> ListAsync(HttpClient client, string query) =>
        (await ClusterFixture.Json(await client.GetAsync("/v1/subscriptions" + query))).GetProperty("data").EnumerateArray()
            .Select(s => s.GetProperty("id").GetString()!).ToList();

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code, string param)
    {
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode}: {problem}");
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Equal(param, problem.GetProperty("param").GetString());
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.Api;

/// <summary>GET /v1/refunds with Stripe's filters, newest first, and only the caller tenant's; GET /v1/refunds/{id}.</summary>
[Collection(PciClusterCollection.Name)]
public sealed class RefundListTests(PciClusterFixture fixture)
{
    private PlatformCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task ListRefunds_FiltersPagesAndStaysInTheTenant()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);
        var payer = await IdOf(client.PostAsJsonAsync("/v1/customers", new { name = "Refunded" }));
        var visa = await IdOf(client.PostAsJsonAsync("/v1/payment_methods/pm_card_visa/attach", new { customer = payer }));
        var first = await IdOf(PostAsync(client, "/v1/payment_intents", new { customer = payer, amount = 1000, currency = "usd", payment_method = visa, confirm = true }));
        var second = await IdOf(PostAsync(client, "/v1/payment_intents", new { customer = payer, amount = 2000, currency = "usd", payment_method = visa, confirm = true }));
        var r1 = await IdOf(PostAsync(client, "/v1/refunds", new { payment_intent = first, amount = 300 }));
        var r2 = await IdOf(PostAsync(client, "/v1/refunds", new { payment_intent = first, amount = 200 }));
        var r3 = await IdOf(PostAsync(client, "/v1/refunds", new { payment_intent = second }));
        // Refused before Stripe is asked (more than remains): no refund, so none listed.
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(client, "/v1/refunds", new { payment_intent = first, amount = 600 })).StatusCode);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var all = await ListAsync(client, "");
        var ofFirst = await ListAsync(client, $"?payment_intent={first}");
        var next = await ClusterFixture.Json(await client.GetAsync($"/v1/refunds?limit=1&starting_after={r3}"));
        var previous = await ListAsync(client, $"?ending_before={r1}");
        var ofFirstBefore = await ListAsync(client, $"?payment_intent={first}&ending_before={r1}");
        var future = await ListAsync(client, $"?created[gte]={now + 3600}");
        var window = await ListAsync(client, $"?created[gte]={now - 3600}&created[lte]={now + 60}");
        var one = await ClusterFixture.Json(await client.GetAsync($"/v1/refunds/{r1}"));

        Assert.Equal([r3, r2, r1], all);
        Assert.Equal([r2, r1], ofFirst);
        Assert.Equal([r2], next.GetProperty("data").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        Assert.True(next.GetProperty("has_more").GetBoolean());
        Assert.Equal("/v1/refunds", next.GetProperty("url").GetString());
        Assert.Equal([r3, r2], previous);
        Assert.Equal([r2], ofFirstBefore);
        Assert.Empty(future);
        Assert.Equal([r3, r2, r1], window);
        Assert.Equal("refund", one.GetProperty("object").GetString());
        Assert.Equal(300, one.GetProperty("amount").GetInt64());
        Assert.Equal(first, one.GetProperty("payment_intent").GetString());
        Assert.Equal("succeeded", one.GetProperty("status").GetString());
        Assert.StartsWith("re_", one.GetProperty("stripe_id").GetString());

        await AssertProblemAsync(await client.GetAsync("/v1/refunds?starting_after=ref_nope"), HttpStatusCode.BadRequest, "resource_missing", "starting_after");
        await AssertProblemAsync(await client.GetAsync($"/v1/refunds?starting_after={first}"), HttpStatusCode.BadRequest, "resource_missing", "starting_after");
        await AssertProblemAsync(await client.GetAsync("/v1/refunds?payment_intent=pay_nope"), HttpStatusCode.NotFound, "resource_missing", "payment_intent");
        await AssertProblemAsync(await client.GetAsync("/v1/refunds?created[gte]=yesterday"), HttpStatusCode.BadRequest, "parameter_invalid", "created[gte]");
        await AssertProblemAsync(await client.GetAsync("/v1/refunds?limit=0"), HttpStatusCode.BadRequest, "parameter_invalid", "limit");

        var intruderTenant = await fixture.CreateTenantAsync();
        using var intruder = Cluster.Client(intruderTenant.Secret);
        Assert.Empty(await ListAsync(intruder, ""));
        await AssertProblemAsync(await intruder.GetAsync($"/v1/refunds?starting_after={r1}"), HttpStatusCode.BadRequest, "resource_missing", "starting_after");
        await AssertProblemAsync(await intruder.GetAsync($"/v1/refunds?ending_before={r1}"), HttpStatusCode.BadRequest, "resource_missing", "ending_before");
        await AssertProblemAsync(await intruder.GetAsync($"/v1/refunds?payment_intent={first}"), HttpStatusCode.NotFound, "resource_missing", "payment_intent");
        await AssertProblemAsync(await intruder.GetAsync($"/v1/refunds/{r1}"), HttpStatusCode.NotFound, "resource_missing", null);
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", "refunds-" + string.Concat(Guid.NewGuid().ToString("N").Select(c => char.IsAsciiDigit(c) ? (char)('g' + c - '0') : c)));
        return await client.SendAsync(request);
    }

    private static async Task<string> IdOf(Task<HttpResponseMessage> response) =>
        (await ClusterFixture.Json(await response)).GetProperty("id").GetString()!;

    private static async Task<List<string>> ListAsync(HttpClient client, string query) =>
        (await ClusterFixture.Json(await client.GetAsync("/v1/refunds" + query))).GetProperty("data").EnumerateArray()
            .Select(s => s.GetProperty("id").GetString()!).ToList();

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code, string? param)
    {
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode}: {problem}");
        Assert.Equal(code, problem.GetProperty("code").GetString());
        if (param is not null)
        {
            Assert.Equal(param, problem.GetProperty("param").GetString());
        }
    }
}

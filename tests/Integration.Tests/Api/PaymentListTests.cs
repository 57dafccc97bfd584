using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.Api;

/// <summary>GET /v1/payment_intents with Stripe's filters, newest first, and only the caller tenant's.</summary>
[Collection(PciClusterCollection.Name)]
public sealed class PaymentListTests(PciClusterFixture fixture)
{
    private PlatformCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task ListPaymentIntents_FiltersPagesAndStaysInTheTenant()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);
        var payer = await IdOf(client.PostAsJsonAsync("/v1/customers", new { name = "Payer" }));
        var other = await IdOf(client.PostAsJsonAsync("/v1/customers", new { name = "Other" }));
        var visa = await IdOf(client.PostAsJsonAsync("/v1/payment_methods/pm_card_visa/attach", new { customer = payer }));
        var paid = await IdOf(PayAsync(client, new { customer = payer, amount = 1000, currency = "usd", payment_method = visa, confirm = true }));
        var open = await IdOf(PayAsync(client, new { customer = payer, amount = 500, currency = "usd" }));
        var others = await IdOf(PayAsync(client, new { customer = other, amount = 700, currency = "eur" }));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var all = await ListAsync(client, "");
        var succeeded = await ListAsync(client, "?status=succeeded");
        var waiting = await ListAsync(client, "?status=requires_payment_method");
        var ofPayer = await ListAsync(client, $"?customer={payer}");
        var ofPayerOpen = await ListAsync(client, $"?customer={payer}&status=requires_payment_method");
        var next = await ListAsync(client, $"?limit=1&starting_after={others}");
        var previous = await ListAsync(client, $"?ending_before={paid}");
        var future = await ListAsync(client, $"?created[gte]={now + 3600}");
        var window = await ListAsync(client, $"?created[gte]={now - 3600}&created[lte]={now + 60}");

        Assert.Equal([others, open, paid], all);
        Assert.Equal([paid], succeeded);
        Assert.Equal([others, open], waiting);
        Assert.Equal([open, paid], ofPayer);
        Assert.Equal([open], ofPayerOpen);
        Assert.Equal([open], next);
        Assert.Equal([others, open], previous);
        Assert.Empty(future);
        Assert.Equal(3, window.Count);

        var intruderTenant = await fixture.CreateTenantAsync();
        using var intruder = Cluster.Client(intruderTenant.Secret);
        Assert.Empty(await ListAsync(intruder, ""));
        Assert.Empty(await ListAsync(intruder, "?status=succeeded"));
        await AssertProblemAsync(await intruder.GetAsync($"/v1/payment_intents?starting_after={paid}"), HttpStatusCode.BadRequest, "resource_missing", "starting_after");
        await AssertProblemAsync(await intruder.GetAsync($"/v1/payment_intents?ending_before={paid}"), HttpStatusCode.BadRequest, "resource_missing", "ending_before");
        await AssertProblemAsync(await intruder.GetAsync($"/v1/payment_intents?customer={payer}"), HttpStatusCode.NotFound, "resource_missing", "customer");
        await AssertProblemAsync(await client.GetAsync("/v1/payment_intents?status=paid"), HttpStatusCode.BadRequest, "parameter_invalid", "status");
    }

    private static async Task<HttpResponseMessage> PayAsync(HttpClient client, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/payment_intents") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", "list-" + string.Concat(Guid.NewGuid().ToString("N").Select(c => char.IsAsciiDigit(c) ? (char)('g' + c - '0') : c)));
        return await client.SendAsync(request);
    }

    private static async Task<string> IdOf(Task<HttpResponseMessage> response) =>
        (await ClusterFixture.Json(await response)).GetProperty("id").GetString()!;

    private static async Task<List<string>> ListAsync(HttpClient client, string query) =>
        (await ClusterFixture.Json(await client.GetAsync("/v1/payment_intents" + query))).GetProperty("data").EnumerateArray()
            .Select(s => s.GetProperty("id").GetString()!).ToList();

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code, string param)
    {
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode}: {problem}");
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Equal(param, problem.GetProperty("param").GetString());
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.Webhooks;

/// <summary>On the shared cluster, which runs with production's webhook settings: https only, no private networks.</summary>
[Collection(ClusterCollection.Name)]
public sealed class WebhookEndpointsApiTests(ClusterFixture fixture)
{
    /// <summary>example.com's address: public, and no DNS needed.</summary>
    public const string PublicUrl = "https://93.184.215.14/webhooks";

    [Theory]
    [InlineData("http://93.184.215.14/webhooks", "https")]
    [InlineData("https://127.0.0.1/webhooks", "127.0.0.1")]
    [InlineData("https://localhost:8443/webhooks", "resolves to")]
    [InlineData("https://10.1.2.3/webhooks", "10.1.2.3")]
    [InlineData("https://172.16.0.1/webhooks", "172.16.0.1")]
    [InlineData("https://192.168.1.1/webhooks", "192.168.1.1")]
    [InlineData("https://100.64.0.1/webhooks", "100.64.0.1")]
    [InlineData("https://169.254.169.254/latest/meta-data", "169.254.169.254")]
    [InlineData("https://0.0.0.0/webhooks", "0.0.0.0")]
    [InlineData("https://[::1]/webhooks", "::1")]
    [InlineData("https://[fd00::1]/webhooks", "fd00::1")]
    [InlineData("https://[fe80::1]/webhooks", "fe80::1")]
    [InlineData("https://[::ffff:10.0.0.1]/webhooks", "10.0.0.1")]
    public async Task CreateWebhookEndpoint_WithAPrivateAddressOrPlainHttp_IsRefusedOutsideDevelopment(string url, string named)
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = fixture.Cluster.Client(tenant.Secret);
        var response = await client.PostAsJsonAsync("/v1/webhook_endpoints", new { url, enabled_events = new[] { "*" } });
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal("url_invalid", problem.GetProperty("code").GetString());
        Assert.Equal("url", problem.GetProperty("param").GetString());
        Assert.Contains(named, problem.GetProperty("detail").GetString());
        Assert.Empty((await ClusterFixture.Json(await client.GetAsync("/v1/webhook_endpoints"))).GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task WebhookEndpoints_OfAnotherTenant_AreNotFound()
    {
        var a = await fixture.CreateTenantAsync();
        using var aClient = fixture.Cluster.Client(a.Secret);
        var created = await ClusterFixture.Json(await aClient.PostAsJsonAsync("/v1/webhook_endpoints",
            new { url = PublicUrl, enabled_events = new[] { "webhook_endpoint.disabled" }, description = "A's" }));
        var id = created.GetProperty("id").GetString()!;
        Assert.StartsWith("we_", id);
        Assert.Equal("enabled", created.GetProperty("status").GetString());

        var b = await fixture.CreateTenantAsync();
        using var bClient = fixture.Cluster.Client(b.Secret);
        Assert.Equal(HttpStatusCode.NotFound, (await bClient.GetAsync($"/v1/webhook_endpoints/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bClient.GetAsync($"/v1/webhook_endpoints/{id}/deliveries")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bClient.PostAsJsonAsync($"/v1/webhook_endpoints/{id}/rotate_secret", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bClient.DeleteAsync($"/v1/webhook_endpoints/{id}")).StatusCode);
        Assert.Empty((await ClusterFixture.Json(await bClient.GetAsync("/v1/webhook_endpoints"))).GetProperty("data").EnumerateArray());

        var listed = await ClusterFixture.Json(await aClient.GetAsync("/v1/webhook_endpoints"));
        Assert.Equal(id, Assert.Single(listed.GetProperty("data").EnumerateArray()).GetProperty("id").GetString());
        var deleted = await ClusterFixture.Json(await aClient.DeleteAsync($"/v1/webhook_endpoints/{id}"));
        Assert.True(deleted.GetProperty("deleted").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, (await aClient.GetAsync($"/v1/webhook_endpoints/{id}")).StatusCode);
    }

    [Fact]
    public async Task ListWebhookEndpoints_NewestFirst_PagedWithLimitAndStartingAfter()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = fixture.Cluster.Client(tenant.Secret);
        var ids = new List<string>();
        foreach (var description in new[] { "first", "second", "third" })
        {
            ids.Add((await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/webhook_endpoints",
                new { url = PublicUrl, enabled_events = new[] { "invoice.paid" }, description }))).GetProperty("id").GetString()!);
        }

        var first = await ClusterFixture.Json(await client.GetAsync("/v1/webhook_endpoints?limit=2"));
        var rest = await ClusterFixture.Json(await client.GetAsync($"/v1/webhook_endpoints?limit=2&starting_after={ids[1]}"));

        Assert.Equal([ids[2], ids[1]], first.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()));
        Assert.True(first.GetProperty("has_more").GetBoolean());
        Assert.Equal([ids[0]], rest.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()));
        Assert.False(rest.GetProperty("has_more").GetBoolean());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/v1/webhook_endpoints?limit=0")).StatusCode);
    }

    [Fact]
    public async Task CreateWebhookEndpoint_WithAReadKey_IsForbidden_AndUnknownEventTypesAreRefused()
    {
        var reader = await fixture.CreateTenantAsync(role: "read");
        using var readClient = fixture.Cluster.Client(reader.Secret);
        Assert.Equal(HttpStatusCode.Forbidden, (await readClient.PostAsJsonAsync("/v1/webhook_endpoints",
            new { url = PublicUrl, enabled_events = new[] { "*" } })).StatusCode);

        var admin = await fixture.CreateTenantAsync();
        using var client = fixture.Cluster.Client(admin.Secret);
        var response = await client.PostAsJsonAsync("/v1/webhook_endpoints", new { url = PublicUrl, enabled_events = new[] { "customer.exploded" } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("enabled_events", await response.Content.ReadAsStringAsync());
    }
}

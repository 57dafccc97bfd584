using System.Net;
using System.Net.Http.Json;
using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.Plans;

[Collection(ClusterCollection.Name)]
public sealed class PlansApiTests(ClusterFixture fixture)
{
    private PlatformCluster Cluster => fixture.Cluster;

    public static object ProPlan(string code = "pro") => new
    {
        code,
        name = "Pro",
        interval = "month",
        currency = "USD",
        amount = 4900,
        trial_days = 14,
        usage_charges = new object[]
        {
            new { metric = "api_calls", pricing_model = "graduated", tiers = new object[] { new { up_to = 100, unit_amount = 10 }, new { up_to = 1000, unit_amount = 5 }, new { unit_amount = 2 } } },
            new { metric = "storage_gb", pricing_model = "package", package_size = 10, package_amount = 500 },
        },
        entitlements = new object[] { new { feature = "sso" }, new { feature = "seats", limit = 5 } },
    };

    [Fact]
    public async Task CreatePlan_ValidPlan_IsStoredAndListedNewestFirst()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);
        var created = await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/plans", ProPlan()));
        var id = created.GetProperty("id").GetString()!;
        Assert.StartsWith("plan_", id);
        Assert.Equal("plan", created.GetProperty("object").GetString());
        Assert.Equal("usd", created.GetProperty("currency").GetString());
        Assert.Equal(4900, created.GetProperty("amount").GetInt64());
        Assert.Equal("graduated", created.GetProperty("usage_charges")[0].GetProperty("pricing_model").GetString());
        Assert.Equal(JsonValueKindNull, created.GetProperty("usage_charges")[0].GetProperty("tiers")[2].GetProperty("up_to").ValueKind);
        Assert.Equal(5, created.GetProperty("entitlements")[1].GetProperty("limit").GetInt64());
        Assert.True(created.GetProperty("active").GetBoolean());

        var second = await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/plans", ProPlan("team")));
        // Read back through the other API host: the catalog is one grain, persisted.
        using var other = Cluster.Client(tenant.Secret, index: 1);
        var list = await ClusterFixture.Json(await other.GetAsync("/v1/plans?limit=1"));
        Assert.Equal("list", list.GetProperty("object").GetString());
        Assert.True(list.GetProperty("has_more").GetBoolean());
        Assert.Equal(second.GetProperty("id").GetString(), list.GetProperty("data")[0].GetProperty("id").GetString());
        var next = await ClusterFixture.Json(await other.GetAsync($"/v1/plans?limit=1&starting_after={second.GetProperty("id").GetString()}"));
        Assert.Equal(id, next.GetProperty("data")[0].GetProperty("id").GetString());
        Assert.False(next.GetProperty("has_more").GetBoolean());
        var fetched = await ClusterFixture.Json(await other.GetAsync($"/v1/plans/{id}"));
        Assert.Equal("pro", fetched.GetProperty("code").GetString());
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    [Fact]
    public async Task CreatePlan_DuplicateCode_Is409()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);
        await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/plans", ProPlan()));
        var again = await client.PostAsJsonAsync("/v1/plans", ProPlan());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("plan_code_in_use", (await again.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("{\"interval\":\"month\",\"currency\":\"usd\",\"amount\":1}", "code", "parameter_missing")]
    [InlineData("{\"code\":\"a\",\"interval\":\"week\",\"currency\":\"usd\",\"amount\":1}", "interval", "parameter_invalid")]
    [InlineData("{\"code\":\"a\",\"interval\":\"month\",\"currency\":\"us\",\"amount\":1}", "currency", "parameter_invalid")]
    [InlineData("{\"code\":\"a\",\"interval\":\"month\",\"currency\":\"usd\",\"amount\":-1}", "amount", "parameter_invalid")]
    [InlineData("{\"code\":\"a\",\"interval\":\"month\",\"currency\":\"usd\",\"amount\":1,\"usage_charges\":[{\"metric\":\"x\",\"pricing_model\":\"package\",\"package_size\":0,\"package_amount\":1}]}", "usage_charges[0][package_size]", "parameter_invalid")]
    [InlineData("{\"code\":\"a\",\"interval\":\"month\",\"currency\":\"usd\",\"amount\":1,\"usage_charges\":[{\"metric\":\"x\",\"pricing_model\":\"volume\",\"tiers\":[{\"up_to\":10,\"unit_amount\":1},{\"up_to\":5,\"unit_amount\":1},{\"unit_amount\":1}]}]}", "usage_charges[0][tiers][1][up_to]", "parameter_invalid")]
    [InlineData("{\"code\":\"a\",\"interval\":\"month\",\"currency\":\"usd\",\"amount\":1,\"usage_charges\":[{\"metric\":\"x\",\"pricing_model\":\"graduated\",\"tiers\":[{\"up_to\":10,\"unit_amount\":1}]}]}", "usage_charges[0][tiers][0][up_to]", "parameter_invalid")]
    [InlineData("{\"code\":\"a\",\"interval\":\"month\",\"currency\":\"usd\",\"amount\":1,\"entitlements\":[{\"feature\":\"seats\",\"limit\":-2}]}", "entitlements[0][limit]", "parameter_invalid")]
    public async Task CreatePlan_InvalidField_Is400WithParam(string body, string param, string code)
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);
        var response = await client.PostAsync("/v1/plans", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Equal(param, problem.GetProperty("param").GetString());
    }

    [Fact]
    public async Task ArchiveAndDelete_UnusedPlan_ArchivesThenDeletes()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);
        var id = (await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/plans", ProPlan()))).GetProperty("id").GetString()!;
        var archived = await ClusterFixture.Json(await client.PostAsync($"/v1/plans/{id}/archive", null));
        Assert.False(archived.GetProperty("active").GetBoolean());
        var deleted = await ClusterFixture.Json(await client.DeleteAsync($"/v1/plans/{id}"));
        Assert.True(deleted.GetProperty("deleted").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/v1/plans/{id}")).StatusCode);
    }

    [Fact]
    public async Task GetPlan_OtherTenantsPlan_Is404()
    {
        var a = await fixture.CreateTenantAsync();
        var b = await fixture.CreateTenantAsync();
        using var aClient = Cluster.Client(a.Secret);
        using var bClient = Cluster.Client(b.Secret);
        var id = (await ClusterFixture.Json(await aClient.PostAsJsonAsync("/v1/plans", ProPlan()))).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.NotFound, (await bClient.GetAsync($"/v1/plans/{id}")).StatusCode);
        Assert.Empty((await ClusterFixture.Json(await bClient.GetAsync("/v1/plans"))).GetProperty("data").EnumerateArray());
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.Api;

[Collection(ClusterCollection.Name)]
public sealed class CustomersApiTests(ClusterFixture fixture)
{
    private PlatformCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task CreateCustomer_ThenGetAndPatch_RoundTripsThroughGrainsAndStorage()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);

        var created = await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/customers", new
        {
            email = "jenny@example.com", name = "Jenny Rosen", metadata = new Dictionary<string, string> { ["crm"] = "42" },
        }));
        var id = created.GetProperty("id").GetString()!;
        Assert.StartsWith("cus_", id);
        Assert.Equal("customer", created.GetProperty("object").GetString());

        using var other = Cluster.Client(tenant.Secret, index: 1);
        var read = await ClusterFixture.Json(await other.GetAsync($"/v1/customers/{id}"));
        Assert.Equal("jenny@example.com", read.GetProperty("email").GetString());
        Assert.Equal("42", read.GetProperty("metadata").GetProperty("crm").GetString());

        var patched = await ClusterFixture.Json(await client.PatchAsJsonAsync($"/v1/customers/{id}", new
        {
            name = "Jenny R.", description = "", metadata = new Dictionary<string, string> { ["crm"] = "", ["tier"] = "gold" },
        }));
        Assert.Equal("Jenny R.", patched.GetProperty("name").GetString());
        Assert.Equal("jenny@example.com", patched.GetProperty("email").GetString());
        Assert.Equal(JsonValueKind.Null, patched.GetProperty("description").ValueKind);
        Assert.False(patched.GetProperty("metadata").TryGetProperty("crm", out _));
        Assert.Equal("gold", patched.GetProperty("metadata").GetProperty("tier").GetString());
    }

    [Fact]
    public async Task ListCustomers_PagesNewestFirstWithCursor()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var customer = await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/customers", new { name = $"C{i}" }));
            ids.Add(customer.GetProperty("id").GetString()!);
        }
        ids.Reverse();

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        while (true)
        {
            var page = await ClusterFixture.Json(await client.GetAsync("/v1/customers?limit=2" + (cursor is null ? "" : "&starting_after=" + cursor)));
            pages++;
            var data = page.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToList();
            seen.AddRange(data);
            if (!page.GetProperty("has_more").GetBoolean())
            {
                break;
            }
            cursor = data[^1];
        }

        Assert.Equal(ids, seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task Customers_OfAnotherTenant_Are404ForReadUpdateAndAbsentFromList()
    {
        var owner = await fixture.CreateTenantAsync();
        var intruder = await fixture.CreateTenantAsync();
        using var ownerClient = Cluster.Client(owner.Secret);
        using var intruderClient = Cluster.Client(intruder.Secret);
        var customer = await ClusterFixture.Json(await ownerClient.PostAsJsonAsync("/v1/customers", new { name = "Private", email = "p@example.com" }));
        var id = customer.GetProperty("id").GetString()!;

        var read = await intruderClient.GetAsync($"/v1/customers/{id}");
        var update = await intruderClient.PatchAsJsonAsync($"/v1/customers/{id}", new { name = "Hijacked" });
        var list = await ClusterFixture.Json(await intruderClient.GetAsync("/v1/customers?limit=100"));
        // Another tenant's customer is no cursor of this list: 400 resource_missing, as for any unknown id (not an empty page).
        using var listAfter = await intruderClient.GetAsync($"/v1/customers?starting_after={id}");

        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, update.StatusCode);
        Assert.Empty(list.GetProperty("data").EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, listAfter.StatusCode);
        var cursorProblem = await listAfter.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal("resource_missing", cursorProblem.GetProperty("code").GetString());
        Assert.Equal("starting_after", cursorProblem.GetProperty("param").GetString());
        var unchanged = await ClusterFixture.Json(await ownerClient.GetAsync($"/v1/customers/{id}"));
        Assert.Equal("Private", unchanged.GetProperty("name").GetString());
    }

    [Fact]
    public async Task CreateCustomer_RetriedWithSameIdempotencyKey_CreatesOne()
    {
        var tenant = await fixture.CreateTenantAsync();
        var key = Guid.NewGuid().ToString();
        var first = await Create(0);
        var second = await Create(1);

        Assert.Equal(first.GetProperty("id").GetString(), second.GetProperty("id").GetString());
        using var client = Cluster.Client(tenant.Secret);
        var list = await ClusterFixture.Json(await client.GetAsync("/v1/customers"));
        Assert.Single(list.GetProperty("data").EnumerateArray());

        async Task<JsonElement> Create(int apiIndex)
        {
            using var client = Cluster.Client(tenant.Secret, apiIndex);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/customers") { Content = JsonContent.Create(new { email = "once@example.com" }) };
            request.Headers.Add("Idempotency-Key", key);
            return await ClusterFixture.Json(await client.SendAsync(request));
        }
    }

    [Theory]
    [InlineData("""{"email":"not-an-email"}""", "parameter_invalid", "email")]
    [InlineData("""{"email":"a@b"}""", "parameter_invalid", "email")]
    [InlineData("""{"name":"   "}""", "parameter_invalid", "name")]
    [InlineData("""{"email":42}""", "invalid_json", "email")]
    [InlineData("""{"nickname":"x"}""", "invalid_json", "nickname")]
    [InlineData("""{"email":"a@example.com""", "invalid_json", null)]
    [InlineData("""{"metadata":{"k":""}}""", "parameter_invalid", "metadata[k]")]
    public async Task CreateCustomer_WithBadInput_Is400NamingTheProblem(string body, string code, string? param)
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);

        var response = await client.PostAsync("/v1/customers", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(code, problem.GetProperty("code").GetString());
        if (param is not null)
        {
            Assert.Equal(param, problem.GetProperty("param").GetString());
        }
        Assert.DoesNotContain("   at ", problem.ToString());
    }

    [Theory]
    [InlineData("/v1/customers?limit=0", "limit")]
    [InlineData("/v1/customers?limit=101", "limit")]
    [InlineData("/v1/customers?starting_after=ten_x", "starting_after")]
    public async Task ListCustomers_WithBadPaging_Is400(string url, string param)
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);

        var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(param, problem.GetProperty("param").GetString());
    }

    [Fact]
    public async Task ListCustomers_WithNonNumericLimit_Is400()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);

        var response = await client.GetAsync("/v1/customers?limit=ten");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ReadKey_CanReadButNotWrite()
    {
        var tenant = await fixture.CreateTenantAsync(role: "read");
        using var client = Cluster.Client(tenant.Secret);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/customers")).StatusCode);
        var create = await client.PostAsJsonAsync("/v1/customers", new { name = "x" });
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        var problem = await create.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("insufficient_permissions", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Customers_WithAdminTokenInsteadOfTenantKey_Are403()
    {
        using var admin = Cluster.AdminClient();
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync("/v1/customers")).StatusCode);
    }

    [Fact]
    public async Task OversizedBody_Is413ProblemDetails()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);
        var huge = "{\"description\":\"" + new string('a', 1024 * 1024 + 10) + "\"}";

        var response = await client.PostAsync("/v1/customers", new StringContent(huge, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }
}

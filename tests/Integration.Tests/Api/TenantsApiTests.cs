using System.Net;
using System.Net.Http.Json;
using Npgsql;
using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.Api;

[Collection(ClusterCollection.Name)]
public sealed class TenantsApiTests(ClusterFixture fixture)
{
    private PlatformCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task CreateTenant_AsPlatformAdmin_ReturnsPrefixedTenantThatCanBeReadAndListed()
    {
        using var admin = Cluster.AdminClient();
        var created = await ClusterFixture.Json(await admin.PostAsJsonAsync("/v1/tenants",
            new { name = "Acme Corp", metadata = new Dictionary<string, string> { ["region"] = "eu" } }));

        var id = created.GetProperty("id").GetString()!;
        Assert.StartsWith("ten_", id);
        Assert.Equal("tenant", created.GetProperty("object").GetString());
        Assert.Equal("Acme Corp", created.GetProperty("name").GetString());
        Assert.Equal("eu", created.GetProperty("metadata").GetProperty("region").GetString());
        Assert.InRange(created.GetProperty("created").GetInt64(),
            DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeSeconds());

        var read = await ClusterFixture.Json(await Cluster.AdminClient(index: 1).GetAsync($"/v1/tenants/{id}"));
        Assert.Equal("Acme Corp", read.GetProperty("name").GetString());

        var list = await ClusterFixture.Json(await admin.GetAsync("/v1/tenants?limit=100"));
        Assert.Equal("list", list.GetProperty("object").GetString());
        Assert.Contains(list.GetProperty("data").EnumerateArray(), t => t.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task CreateTenant_WithoutCredential_Is401ProblemDetails()
    {
        using var anonymous = Cluster.Client();
        var response = await anonymous.PostAsJsonAsync("/v1/tenants", new { name = "x" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal("authentication_required", problem.GetProperty("code").GetString());
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task CreateTenant_WithWrongAdminToken_Is401InvalidKey()
    {
        using var wrong = Cluster.Client("adm_not_the_token");
        var response = await wrong.PostAsJsonAsync("/v1/tenants", new { name = "x" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal("invalid_api_key", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task CreateTenant_WithTenantKey_Is403()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);

        var response = await client.PostAsJsonAsync("/v1/tenants", new { name = "x" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task CreateTenant_WithoutName_Is400NamingTheField()
    {
        using var admin = Cluster.AdminClient();
        var response = await admin.PostAsJsonAsync("/v1/tenants", new { metadata = new Dictionary<string, string>() });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal("parameter_missing", problem.GetProperty("code").GetString());
        Assert.Equal("name", problem.GetProperty("param").GetString());
    }

    [Fact]
    public async Task CreateTenant_RetriedWithSameIdempotencyKey_CreatesOneTenant_DifferentBodyIs409()
    {
        using var admin = Cluster.AdminClient();
        var key = Guid.NewGuid().ToString();
        var first = await ClusterFixture.Json(await Send(admin, key, "Retry Co"));
        var second = await ClusterFixture.Json(await Send(admin, key, "Retry Co", apiIndex: 1));
        Assert.Equal(first.GetProperty("id").GetString(), second.GetProperty("id").GetString());

        var conflict = await Send(admin, key, "Another Name");
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);

        async Task<HttpResponseMessage> Send(HttpClient client, string idempotencyKey, string name, int apiIndex = 0)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Cluster.ApiUrls[apiIndex], "/v1/tenants"))
            {
                Content = JsonContent.Create(new { name }),
            };
            request.Headers.Add("Idempotency-Key", idempotencyKey);
            return await client.SendAsync(request);
        }
    }

    [Fact]
    public async Task IssueApiKey_ShowsSecretOnce_StoresOnlyAHash()
    {
        var tenant = await fixture.CreateTenantAsync(role: "finance");
        Assert.StartsWith("sk_", tenant.Secret);
        Assert.StartsWith("key_", tenant.KeyId);

        using var admin = Cluster.AdminClient();
        var keys = await ClusterFixture.Json(await admin.GetAsync($"/v1/tenants/{tenant.Id}/api_keys"));
        var listed = Assert.Single(keys.GetProperty("data").EnumerateArray());
        Assert.Equal("finance", listed.GetProperty("role").GetString());
        Assert.False(listed.TryGetProperty("secret", out _));
        Assert.Equal("sk_…" + tenant.Secret[^4..], listed.GetProperty("secret_hint").GetString());

        // No grain state row anywhere holds the secret or its random part.
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM orleansstorage WHERE position($1 in convert_from(coalesce(payloadbinary, ''::bytea), 'UTF8')) > 0", connection);
        command.Parameters.AddWithValue(tenant.Secret[^20..]);
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task IssueApiKey_WithUnknownRole_Is400()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var admin = Cluster.AdminClient();

        var response = await admin.PostAsJsonAsync($"/v1/tenants/{tenant.Id}/api_keys", new { role = "owner" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal("role", problem.GetProperty("param").GetString());
    }

    [Fact]
    public async Task IssueApiKey_ForUnknownTenant_Is404()
    {
        using var admin = Cluster.AdminClient();
        var response = await admin.PostAsJsonAsync("/v1/tenants/ten_doesnotexist000000/api_keys", new { role = "read" });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task RevokeApiKey_StopsTheKeyAtOnceOnEveryApiHost()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var viaFirst = Cluster.Client(tenant.Secret, index: 0);
        using var viaSecond = Cluster.Client(tenant.Secret, index: 1);
        Assert.Equal(HttpStatusCode.OK, (await viaFirst.GetAsync("/v1/customers")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viaSecond.GetAsync("/v1/customers")).StatusCode);

        using var admin = Cluster.AdminClient();
        var revoked = await ClusterFixture.Json(await admin.DeleteAsync($"/v1/tenants/{tenant.Id}/api_keys/{tenant.KeyId}"));
        Assert.True(revoked.GetProperty("revoked").GetBoolean());

        Assert.Equal(HttpStatusCode.Unauthorized, (await viaFirst.GetAsync("/v1/customers")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await viaSecond.GetAsync("/v1/customers")).StatusCode);
    }

    [Fact]
    public async Task RevokeApiKey_OfAnotherTenant_Is404AndKeyKeepsWorking()
    {
        var owner = await fixture.CreateTenantAsync();
        var other = await fixture.CreateTenantAsync();
        using var admin = Cluster.AdminClient();

        var response = await admin.DeleteAsync($"/v1/tenants/{other.Id}/api_keys/{owner.KeyId}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var client = Cluster.Client(owner.Secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/customers")).StatusCode);
    }

    [Fact]
    public async Task TenantKey_WithWrongSecretForRealKeyId_Is401()
    {
        var tenant = await fixture.CreateTenantAsync();
        var forged = tenant.Secret[..^4] + "AAAA";
        using var client = Cluster.Client(forged == tenant.Secret ? tenant.Secret[..^4] + "BBBB" : forged);

        var response = await client.GetAsync("/v1/customers");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}

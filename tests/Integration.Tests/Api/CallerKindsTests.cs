using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Grains.Interfaces.Common;
using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.Api;

/// <summary>Each kind of caller accepted where it should be and refused where it should not.</summary>
[Collection(ClusterCollection.Name)]
public sealed class CallerKindsTests(ClusterFixture fixture)
{
    private PlatformCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task FrontendJwt_ForATenant_ReadsAndWritesThatTenantsCustomers()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var user = Cluster.Client(TestTokens.Jwt(Cluster.JwtSecret, tenant.Id, role: "finance"));

        var created = await ClusterFixture.Json(await user.PostAsJsonAsync("/v1/customers", new { name = "From the frontend" }));
        using var backend = Cluster.Client(tenant.Secret, index: 1);
        var seen = await ClusterFixture.Json(await backend.GetAsync($"/v1/customers/{created.GetProperty("id").GetString()}"));

        Assert.Equal("From the frontend", seen.GetProperty("name").GetString());
        var audit = await ClusterFixture.Json(await backend.GetAsync("/v1/audit_events?limit=100"));
        Assert.Contains(audit.GetProperty("data").EnumerateArray(), e =>
            e.GetProperty("action").GetString() == "customer.created" && e.GetProperty("actor").GetString() == "user:user_1");
    }

    [Fact]
    public async Task FrontendJwt_WithReadRole_CannotWrite()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var user = Cluster.Client(TestTokens.Jwt(Cluster.JwtSecret, tenant.Id, role: "read"));

        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync("/v1/customers")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await user.PostAsJsonAsync("/v1/customers", new { name = "x" })).StatusCode);
    }

    public static TheoryData<string> BadTokens() => new()
    {
        "expired", "wrong_secret", "no_tenant", "unknown_role", "not_yet_valid", "garbage", "unknown_tenant", "crit",
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task FrontendJwt_ThatIsExpiredWronglySignedOrTenantless_Is401(string kind)
    {
        var tenant = await fixture.CreateTenantAsync();
        var token = kind switch
        {
            "expired" => TestTokens.Jwt(Cluster.JwtSecret, tenant.Id, expires: DateTime.UtcNow.AddMinutes(-2), notBefore: DateTime.UtcNow.AddMinutes(-10)),
            "wrong_secret" => TestTokens.Jwt("another-secret-that-is-long-enough-123456", tenant.Id),
            "no_tenant" => TestTokens.Jwt(Cluster.JwtSecret, null),
            "unknown_role" => TestTokens.Jwt(Cluster.JwtSecret, tenant.Id, role: "owner"),
            "not_yet_valid" => TestTokens.Jwt(Cluster.JwtSecret, tenant.Id, notBefore: DateTime.UtcNow.AddMinutes(10), expires: DateTime.UtcNow.AddMinutes(20)),
            // Issue 25 item 6: a well-formed tenant id that names no tenant, and an extension we cannot honour.
            "unknown_tenant" => TestTokens.Jwt(Cluster.JwtSecret, PlatformIds.NewTenantId()),
            "crit" => TestTokens.Jwt(Cluster.JwtSecret, tenant.Id, headers: new Dictionary<string, object> { ["crit"] = new[] { "exp_ext" }, ["exp_ext"] = 1 }),
            _ => "aaa.bbb.ccc",
        };
        using var user = Cluster.Client(token);

        var response = await user.GetAsync("/v1/customers");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("invalid_api_key", problem.GetProperty("code").GetString());
    }

    /// <summary>Issue 25 item 6: the test hosts run as Production with Jwt:Issuer and Jwt:Audience set (required there): a token must name both.</summary>
    [Fact]
    public async Task FrontendJwt_MustNameTheIssuerAndTheAudience()
    {
        var tenant = await fixture.CreateTenantAsync();
        var tokens = new[]
        {
            TestTokens.Jwt(Cluster.JwtSecret, tenant.Id, issuer: null, audience: null),
            TestTokens.Jwt(Cluster.JwtSecret, tenant.Id, audience: null),
            TestTokens.Jwt(Cluster.JwtSecret, tenant.Id, issuer: null),
            TestTokens.Jwt(Cluster.JwtSecret, tenant.Id, issuer: "https://evil.example.com/"),
            TestTokens.Jwt(Cluster.JwtSecret, tenant.Id, audience: "https://another-app.example.com"),
            TestTokens.Jwt(Cluster.JwtSecret, tenant.Id),
        };

        var statuses = new List<HttpStatusCode>();
        foreach (var token in tokens)
        {
            using var user = Cluster.Client(token);
            using var response = await user.GetAsync("/v1/customers");
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 5).Append(HttpStatusCode.OK), statuses);
    }

    /// <summary>The control for the crit case above: the same extension header, not marked critical, is ignored (RFC 7515 4.1.11).</summary>
    [Fact]
    public async Task FrontendJwt_WithoutCrit_ForAnExistingTenant_Passes()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var user = Cluster.Client(TestTokens.Jwt(Cluster.JwtSecret, tenant.Id, headers: new Dictionary<string, object> { ["exp_ext"] = 1 }));

        using var response = await user.GetAsync("/v1/customers");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task CustomerKey_ReadsItsOwnCustomerOnly_AndNoTenantRoutes()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var backend = Cluster.Client(tenant.Secret);
        var me = (await ClusterFixture.Json(await backend.PostAsJsonAsync("/v1/customers", new { name = "Me" }))).GetProperty("id").GetString()!;
        var other = (await ClusterFixture.Json(await backend.PostAsJsonAsync("/v1/customers", new { name = "Other" }))).GetProperty("id").GetString()!;
        var key = await ClusterFixture.Json(await backend.PostAsync($"/v1/customers/{me}/api_keys", null));
        var secret = key.GetProperty("secret").GetString()!;
        Assert.StartsWith($"cust_{me}_", secret);
        using var instance = Cluster.Client(index: 1);
        instance.DefaultRequestHeaders.Add("X-API-Key", secret);

        Assert.Equal(HttpStatusCode.OK, (await instance.GetAsync($"/v1/customers/{me}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await instance.GetAsync($"/v1/customers/{other}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await instance.GetAsync("/v1/customers")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await instance.PatchAsJsonAsync($"/v1/customers/{me}", new { name = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await instance.PostAsync($"/v1/customers/{me}/api_keys", null)).StatusCode);
    }

    [Fact]
    public async Task CustomerKey_Revoked_Is401AtOnceOnEveryHost()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var backend = Cluster.Client(tenant.Secret);
        var me = (await ClusterFixture.Json(await backend.PostAsJsonAsync("/v1/customers", new { name = "Me" }))).GetProperty("id").GetString()!;
        var key = await ClusterFixture.Json(await backend.PostAsync($"/v1/customers/{me}/api_keys", null));
        using var first = Cluster.Client(index: 0);
        using var second = Cluster.Client(index: 1);
        first.DefaultRequestHeaders.Add("X-API-Key", key.GetProperty("secret").GetString());
        second.DefaultRequestHeaders.Add("X-API-Key", key.GetProperty("secret").GetString());
        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync($"/v1/customers/{me}")).StatusCode);

        var revoked = await ClusterFixture.Json(await backend.DeleteAsync($"/v1/customers/{me}/api_keys/{key.GetProperty("id").GetString()}"));

        Assert.True(revoked.GetProperty("revoked").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, (await first.GetAsync($"/v1/customers/{me}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await second.GetAsync($"/v1/customers/{me}")).StatusCode);
    }

    [Theory]
    [InlineData("cust_nonsense")]
    [InlineData("cust_cus_AAAAAAAAAAAAAAAAAAAA_wrongsecret")]
    [InlineData("sk_live_abc")]
    public async Task CustomerKey_Malformed_Or_Unknown_Is401(string value)
    {
        using var client = Cluster.Client();
        client.DefaultRequestHeaders.Add("X-API-Key", value);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/v1/customers/cus_AAAAAAAAAAAAAAAAAAAA")).StatusCode);
    }

    [Fact]
    public async Task IssueCustomerKey_NeedsTenantAdmin()
    {
        var tenant = await fixture.CreateTenantAsync(role: "finance");
        using var finance = Cluster.Client(tenant.Secret);
        var me = (await ClusterFixture.Json(await finance.PostAsJsonAsync("/v1/customers", new { name = "Me" }))).GetProperty("id").GetString()!;

        Assert.Equal(HttpStatusCode.Forbidden, (await finance.PostAsync($"/v1/customers/{me}/api_keys", null)).StatusCode);
    }

    [Fact]
    public async Task SecurityHeaders_AreOnEveryResponse()
    {
        using var client = Cluster.Client();
        var response = await client.GetAsync("/health/live");

        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.Api;

[Collection(ClusterCollection.Name)]
public sealed class RateLimitTests(ClusterFixture fixture)
{
    private PlatformCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task TenantLimit_TripsAtTheConfiguredCount_AcrossTwoApiHosts()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var admin = Cluster.AdminClient();
        var set = await ClusterFixture.Json(await admin.PostAsJsonAsync($"/v1/tenants/{tenant.Id}/rate_limits",
            new { limits = new Dictionary<string, object> { ["api"] = new { permit_limit = 7, window_seconds = 600 } } }));
        Assert.Equal(7, set.GetProperty("limits").GetProperty("api").GetProperty("permit_limit").GetInt32());
        using var first = Cluster.Client(tenant.Secret, index: 0);
        using var second = Cluster.Client(tenant.Secret, index: 1);

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => (i % 2 == 0 ? first : second).GetAsync("/v1/customers")));

        Assert.Equal(7, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(5, refused.Count);
        foreach (var response in refused)
        {
            Assert.True(int.Parse(response.Headers.GetValues("Retry-After").Single()) is > 0 and <= 600);
            Assert.Equal("0", response.Headers.GetValues("RateLimit-Remaining").Single());
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("rate_limited", problem.GetProperty("code").GetString());
        }
        var remaining = responses.Where(r => r.IsSuccessStatusCode)
            .Select(r => int.Parse(r.Headers.GetValues("RateLimit-Remaining").Single())).Order().ToList();
        Assert.Equal([0, 1, 2, 3, 4, 5, 6], remaining);
        Assert.All(responses, r => Assert.Equal("7", r.Headers.GetValues("RateLimit-Limit").Single()));
    }

    /// <summary>
    /// After a host has verified a credential once it answers it from its cache, and the permit comes from the
    /// limiter grain; with a small limit the grain hands out one permit per call (no leases near the limit), so
    /// sequential requests alternating hosts see an exact count and exact headers, shared with the permits the
    /// credential's grain took on each host's first sight of the credential.
    /// </summary>
    [Theory]
    [InlineData("tenant_key")]
    [InlineData("customer_key")]
    public async Task Limit_IsExact_WhenCredentialsAreCachedAndTheLimitIsSmall(string credential)
    {
        var tenant = await fixture.CreateTenantAsync();
        using var admin = Cluster.AdminClient();
        await ClusterFixture.Json(await admin.PostAsJsonAsync($"/v1/tenants/{tenant.Id}/rate_limits",
            new { limits = new Dictionary<string, object> { ["api"] = new { permit_limit = 9, window_seconds = 600 } } }));
        using var backend = Cluster.Client(tenant.Secret);
        var me = (await ClusterFixture.Json(await backend.PostAsJsonAsync("/v1/customers", new { name = "Me" }))).GetProperty("id").GetString()!;
        HttpClient[] hosts = [Cluster.Client(index: 0), Cluster.Client(index: 1)];
        if (credential == "tenant_key")
        {
            foreach (var host in hosts)
            {
                host.DefaultRequestHeaders.Authorization = new("Bearer", tenant.Secret);
            }
        }
        else
        {
            var key = await ClusterFixture.Json(await backend.PostAsync($"/v1/customers/{me}/api_keys", null));
            foreach (var host in hosts)
            {
                host.DefaultRequestHeaders.Add("X-API-Key", key.GetProperty("secret").GetString());
            }
        }
        // The api limit is per tenant, and per customer key for a customer key: the backend's call above
        // (create the customer, and issue the key) spent the tenant's budget, never the customer key's.
        var spent = credential == "tenant_key" ? 1 : 0;

        var before = await Task.WhenAll(Cluster.ApiUrls.Select(Telemetry.PrometheusScrape.TakeAsync));
        var statuses = new List<(HttpStatusCode Status, string Remaining)>();
        for (var i = 0; i < 12; i++)
        {
            using var response = await hosts[i % 2].GetAsync($"/v1/customers/{me}");
            statuses.Add((response.StatusCode, response.Headers.GetValues("RateLimit-Remaining").Single()));
        }

        Assert.Equal(9 - spent, statuses.Count(s => s.Status == HttpStatusCode.OK));
        Assert.All(statuses.Skip(9 - spent), s => Assert.Equal(HttpStatusCode.TooManyRequests, s.Status));
        Assert.Equal(Enumerable.Range(0, 9 - spent).Select(i => (8 - spent - i).ToString()), statuses.Take(9 - spent).Select(s => s.Remaining));
        // Near a small limit no host holds a lease: every permit was the grain's own decision.
        var after = await Task.WhenAll(Cluster.ApiUrls.Select(Telemetry.PrometheusScrape.TakeAsync));
        double Delta(string metric, string label) => after.Zip(before).Sum(p => p.First.Sum(metric, label) - p.Second.Sum(metric, label));
        Assert.Equal(0, Delta("platform_api_rate_limit_decisions_total", "taken_by=\"lease\""));
        Assert.Equal(12, Delta("platform_api_rate_limit_decisions_total", "taken_by=\"limiter\"") + Delta("platform_api_rate_limit_decisions_total", "taken_by=\"credential\""));
        // The credential's grain was asked at most once per host (other tests' traffic may add cache hits, never grain calls for this key).
        Assert.True(Delta("platform_api_credential_verifications_total", "source=\"cache\"") >= 10,
            $"answered from the cache: {Delta("platform_api_credential_verifications_total", "source=\"cache\"")}");
        foreach (var host in hosts)
        {
            host.Dispose();
        }
    }

    /// <summary>
    /// A large limit, flooded through two hosts at once: the hosts lease permits in batches (most requests
    /// make no call), never accept more than the limit, refuse early at most one host's unused lease, and once
    /// that host gives its unused permits back (after a second idle) the window's total is exactly the limit.
    /// </summary>
    [Fact]
    public async Task LeasedPermits_NeverExceedTheLimit_AcrossTwoHosts_AndUnusedOnesComeBack()
    {
        const int Limit = 400;
        var tenant = await fixture.CreateTenantAsync();
        using var admin = Cluster.AdminClient();
        await ClusterFixture.Json(await admin.PostAsJsonAsync($"/v1/tenants/{tenant.Id}/rate_limits",
            new { limits = new Dictionary<string, object> { ["api"] = new { permit_limit = Limit, window_seconds = 600 } } }));
        HttpClient[] hosts = [Cluster.Client(tenant.Secret, index: 0), Cluster.Client(tenant.Secret, index: 1)];
        var before = await Task.WhenAll(Cluster.ApiUrls.Select(Telemetry.PrometheusScrape.TakeAsync));

        var flood = await Task.WhenAll(Enumerable.Range(0, 600).Select(async i =>
        {
            using var response = await hosts[i % 2].GetAsync("/v1/customers");
            return response.StatusCode;
        }));
        var accepted = flood.Count(s => s == HttpStatusCode.OK);
        Assert.All(flood, s => Assert.Contains(s, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
        var leaseSize = new Platform.Api.RateLimiting.RateLimitSettings().LeaseSize;
        Assert.InRange(accepted, Limit - (leaseSize - 1), Limit);
        var after = await Task.WhenAll(Cluster.ApiUrls.Select(Telemetry.PrometheusScrape.TakeAsync));
        double Leased() => after.Zip(before).Sum(p => p.First.Sum("platform_api_rate_limit_decisions_total", "taken_by=\"lease\"")
            - p.Second.Sum("platform_api_rate_limit_decisions_total", "taken_by=\"lease\""));
        Assert.True(Leased() >= Limit / 2, $"permits from leases: {Leased()}");

        // Early refusals come back: keep asking (each host in turn) until the window's total reaches the limit.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var turn = 0;
        while (accepted < Limit)
        {
            Assert.True(DateTime.UtcNow < deadline, $"only {accepted} of {Limit} permits were ever granted");
            using var response = await hosts[turn++ % 2].GetAsync("/v1/customers");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                accepted++;
            }
            else
            {
                await Task.Delay(250);
            }
        }
        foreach (var host in hosts)
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, (await host.GetAsync("/v1/customers")).StatusCode);
            host.Dispose();
        }
    }

    /// <summary>
    /// The 429 says which limit ran out, its size and window, whose budget it was and how to raise it; a
    /// customer key spends its own budget, so one customer's instance cannot exhaust its tenant's.
    /// </summary>
    [Fact]
    public async Task Refusal_NamesTheLimitAndHowToRaiseIt_AndACustomerKeyHasItsOwnBudget()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var admin = Cluster.AdminClient();
        await ClusterFixture.Json(await admin.PostAsJsonAsync($"/v1/tenants/{tenant.Id}/rate_limits",
            new { limits = new Dictionary<string, object> { ["api"] = new { permit_limit = 6, window_seconds = 600 } } }));
        using var backend = Cluster.Client(tenant.Secret);
        var me = (await ClusterFixture.Json(await backend.PostAsJsonAsync("/v1/customers", new { name = "Me" }))).GetProperty("id").GetString()!;
        var key = await ClusterFixture.Json(await backend.PostAsync($"/v1/customers/{me}/api_keys", null));
        using var instance = Cluster.Client();
        instance.DefaultRequestHeaders.Add("X-API-Key", key.GetProperty("secret").GetString());

        var tenantStatuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            tenantStatuses.Add((await backend.GetAsync("/v1/customers")).StatusCode);
        }
        using var refused = await backend.GetAsync("/v1/customers");
        using var own = await instance.GetAsync($"/v1/customers/{me}/subscription");

        // Two permits went to creating the customer and its key.
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], tenantStatuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        var limit = problem.GetProperty("limit");
        Assert.Equal("api", limit.GetProperty("name").GetString());
        Assert.Equal(6, limit.GetProperty("permit_limit").GetInt32());
        Assert.Equal(600, limit.GetProperty("window_seconds").GetInt64());
        Assert.Equal("tenant", limit.GetProperty("scope").GetString());
        Assert.Equal("RateLimits:Api:PermitLimit", limit.GetProperty("setting").GetString());
        Assert.Equal($"POST /v1/tenants/{tenant.Id}/rate_limits", limit.GetProperty("raise_route").GetString());
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("6 per 600 s per tenant", detail);
        Assert.Contains($"POST /v1/tenants/{tenant.Id}/rate_limits", detail);
        Assert.Contains("RateLimits:Api:PermitLimit", detail);
        // The customer key's first request: its own budget of the tenant's size, untouched by the tenant's.
        Assert.NotEqual(HttpStatusCode.TooManyRequests, own.StatusCode);
        Assert.Equal("6", own.Headers.GetValues("RateLimit-Limit").Single());
        Assert.Equal("5", own.Headers.GetValues("RateLimit-Remaining").Single());
    }

    [Fact]
    public async Task TenantLimits_AcceptOnlyKnownPolicies()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var admin = Cluster.AdminClient();

        var response = await admin.PostAsJsonAsync($"/v1/tenants/{tenant.Id}/rate_limits",
            new { limits = new Dictionary<string, object> { ["admin"] = new { permit_limit = 7, window_seconds = 60 } } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}

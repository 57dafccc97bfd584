using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Grains.Interfaces.Audit;
using Platform.Grains.Interfaces.Common;
using Platform.Integration.Tests.Infrastructure;
using Platform.Silo.Database;

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

/// <summary>Its own cluster: low limits for the platform admin and failed logins, from one client address.</summary>
public sealed class AuthLockoutTests : IAsyncLifetime
{
    private PlatformCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var connectionString = await (await SharedPostgres.GetAsync()).CreateDatabaseAsync("lockout");
        await new DatabaseMigrator(connectionString, NullLogger.Instance).MigrateAsync();
        _cluster = await PlatformCluster.StartAsync(connectionString, silos: 1, apis: 2, settings: new()
        {
            ["RateLimits:AuthFailures:PermitLimit"] = "3",
            ["RateLimits:AuthFailures:WindowSeconds"] = "600",
            ["RateLimits:Admin:PermitLimit"] = "6",
        });
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task RepeatedFailedLogins_LockTheAddressOut_OnEveryHost_AndAreAudited()
    {
        using var admin = _cluster.AdminClient();
        var tenant = await ClusterFixture.Json(await admin.PostAsJsonAsync("/v1/tenants", new { name = "Lockout" }));
        var tenantId = tenant.GetProperty("id").GetString()!;
        var key = await ClusterFixture.Json(await admin.PostAsJsonAsync($"/v1/tenants/{tenantId}/api_keys", new { role = "admin" }));

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var guesser = _cluster.Client("sk_AAAAAAAAAAAAAAAAAAAA_guess" + i, index: i % 2);
            statuses.Add((await guesser.GetAsync("/v1/customers")).StatusCode);
        }
        using var rightKeyHere = _cluster.Client(key.GetProperty("secret").GetString(), index: 0);
        var withRightKey = await rightKeyHere.GetAsync("/v1/customers");

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized,
            HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, withRightKey.StatusCode);
        Assert.True(withRightKey.Headers.Contains("Retry-After"));

        // The operator shares the locked-out address, so read the platform chain from inside the cluster.
        var audit = await _cluster.ClusterClient.GetGrain<IAuditLogGrain>(IAuditLogGrain.PlatformChain).ListAsync(new PageRequest(100, null));
        var actions = audit.Items.Select(e => e.Action).ToList();
        Assert.Equal(3, actions.Count(a => a == "authentication.failed"));
        Assert.Equal(1, actions.Count(a => a == "rate_limit.lockout"));
        Assert.All(audit.Items, e => Assert.Equal("127.0.0.1", e.Ip));
        Assert.DoesNotContain(audit.Items.SelectMany(e => e.Details.Values), v => v.Contains("guess", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AdminOperations_AreLimitedPerAddress()
    {
        using var admin = _cluster.AdminClient(index: 1);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
        {
            statuses.Add((await admin.GetAsync("/v1/tenants")).StatusCode);
        }
        // Six permits; the first spent none before this loop (each test here has its own cluster).
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, 6).Concat([HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests]), statuses);
    }
}

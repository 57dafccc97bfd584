using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Grains.Interfaces.Audit;
using Platform.Grains.Interfaces.Common;
using Platform.Integration.Tests.Infrastructure;
using Platform.Silo.Database;

namespace Platform.Integration.Tests.Api;

/// <summary>
/// Issue 25 item 3: failed authentications lock out the credential tried from the address it was tried
/// from, never another credential; admin limits are per credential; behind a proxy the address is the one
/// the trusted proxy forwarded, and a forwarded address from anyone else is ignored. Hosts 0 and 1 are
/// direct; host 2 trusts X-Forwarded-For from loopback (the test is the ingress); host 3 trusts it only
/// from a pod range the test is not in.
/// </summary>
public sealed class AuthLockoutTests : IAsyncLifetime
{
    private const int BehindProxy = 2;
    private const int BehindAnotherProxy = 3;

    private PlatformCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var connectionString = await (await SharedPostgres.GetAsync()).CreateDatabaseAsync("lockout");
        await new DatabaseMigrator(connectionString, NullLogger.Instance).MigrateAsync();
        _cluster = await PlatformCluster.StartAsync(connectionString, silos: 1, apis: 2, settings: new()
        {
            ["RateLimits:AuthFailures:PermitLimit"] = "3",
            ["RateLimits:AuthFailures:WindowSeconds"] = "600",
            ["RateLimits:Admin:PermitLimit"] = "20",
        });
        await _cluster.StartApiAsync(builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Platform:TrustForwardedHeaders"] = "true",
            ["Platform:ForwardedHeaders:KnownNetworks"] = "127.0.0.0/8",
        }));
        await _cluster.StartApiAsync(builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Platform:TrustForwardedHeaders"] = "true",
            ["Platform:ForwardedHeaders:KnownNetworks:0"] = "10.244.0.0/16",
        }));
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task RepeatedFailures_LockOutThatCredentialFromThatAddress_NeverAnotherValidCredential()
    {
        var (tenantId, secret) = await NewTenantAsync("Lockout");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var guesser = _cluster.Client("sk_AAAAAAAAAAAAAAAAAAAA_guess" + i, index: i % 2);
            statuses.Add((await guesser.GetAsync("/v1/customers")).StatusCode);
        }
        using var rightKeyHere = _cluster.Client(secret, index: 0);
        using var withRightKey = await rightKeyHere.GetAsync("/v1/customers");
        using var operatorHere = _cluster.AdminClient(index: 1);
        using var operatorCall = await operatorHere.GetAsync($"/v1/tenants/{tenantId}");

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized,
            HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.OK, withRightKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, operatorCall.StatusCode);

        var entries = (await PlatformAuditAsync()).Where(e => e.Details.GetValueOrDefault("credential") == "key_AAAAAAAAAAAAAAAAAAAA").ToList();
        Assert.Equal(3, entries.Count(e => e.Action == "authentication.failed"));
        Assert.Equal(1, entries.Count(e => e.Action == "rate_limit.lockout"));
        Assert.All(entries, e => Assert.Equal("127.0.0.1", e.Ip));
        Assert.DoesNotContain(entries.SelectMany(e => e.Details.Values), v => v.Contains("guess", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AdminOperations_AreLimitedPerCredential_NotPerAddress()
    {
        var (_, first) = await NewTenantAsync("Admin limits one");
        var (_, second) = await NewTenantAsync("Admin limits two");
        using var firstClient = _cluster.Client(first, index: 0);
        using var secondClient = _cluster.Client(second, index: 1);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 22; i++)
        {
            statuses.Add((await firstClient.GetAsync("/v1/usage_events/dead_letters")).StatusCode);
        }
        using var secondCall = await secondClient.GetAsync("/v1/usage_events/dead_letters");

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, 20).Concat([HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests]), statuses);
        Assert.Equal(HttpStatusCode.OK, secondCall.StatusCode);
    }

    [Fact]
    public async Task BehindAProxy_TheForwardedAddressIsLockedOut_OnlyWhenTheProxyIsTrusted()
    {
        var (_, secret) = await NewTenantAsync("Behind the ingress");
        const string Guess = "sk_BBBBBBBBBBBBBBBBBBBB_guess";

        var fromSeven = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            fromSeven.Add(await SendAsync(BehindProxy, Guess, "203.0.113.7"));
        }
        var sameGuessFromEight = await SendAsync(BehindProxy, Guess, "203.0.113.8");
        var rightKeyFromSeven = await SendAsync(BehindProxy, secret, "203.0.113.7");
        // A host that does not trust this peer ignores the header: the address is the peer's own.
        var spoofed = await SendAsync(BehindAnotherProxy, "sk_CCCCCCCCCCCCCCCCCCCC_guess", "198.51.100.9");

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], fromSeven);
        Assert.Equal(HttpStatusCode.Unauthorized, sameGuessFromEight);
        Assert.Equal(HttpStatusCode.OK, rightKeyFromSeven);
        Assert.Equal(HttpStatusCode.Unauthorized, spoofed);
        var audit = await PlatformAuditAsync();
        var guessed = audit.Where(e => e.Details.GetValueOrDefault("credential") == "key_BBBBBBBBBBBBBBBBBBBB").ToList();
        Assert.Equal(["203.0.113.7", "203.0.113.7", "203.0.113.7", "203.0.113.7", "203.0.113.8"],
            guessed.OrderBy(e => e.Sequence).Select(e => e.Ip));
        Assert.Equal(1, guessed.Count(e => e.Action == "rate_limit.lockout"));
        Assert.Equal("127.0.0.1", Assert.Single(audit, e => e.Details.GetValueOrDefault("credential") == "key_CCCCCCCCCCCCCCCCCCCC").Ip);
    }

    private async Task<HttpStatusCode> SendAsync(int host, string bearer, string forwardedFor)
    {
        using var client = _cluster.Client(bearer, index: host);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/customers");
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private async Task<(string TenantId, string Secret)> NewTenantAsync(string name)
    {
        using var admin = _cluster.AdminClient();
        var tenant = await ClusterFixture.Json(await admin.PostAsJsonAsync("/v1/tenants", new { name }));
        var tenantId = tenant.GetProperty("id").GetString()!;
        var key = await ClusterFixture.Json(await admin.PostAsJsonAsync($"/v1/tenants/{tenantId}/api_keys", new { role = "admin" }));
        return (tenantId, key.GetProperty("secret").GetString()!);
    }

    private async Task<IReadOnlyList<AuditEntry>> PlatformAuditAsync() =>
        (await _cluster.ClusterClient.GetGrain<IAuditLogGrain>(IAuditLogGrain.PlatformChain).ListAsync(new PageRequest(100, null))).Items;
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Platform.Api.Auth;
using Platform.Cli;
using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.Operations;

/// <summary>
/// The breach procedure of docs/OPERATIONS.md, run as an operator would: every step through the operator CLI over
/// real HTTP against the shared cluster's two API hosts, the attacker's requests from their own loopback address
/// (127.0.0.2; no other test uses it, so blocking it disturbs no one).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class IncidentPlaybookTests(ClusterFixture fixture)
{
    private static readonly IPAddress AttackerAddress = IPAddress.Parse("127.0.0.2");

    private PlatformCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task BreachProcedure_RevokesEveryKeyOnEveryHost_BlocksBeforeAuthentication_AndTheExportShowsEachStep()
    {
        var since = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1;
        var compromised = await fixture.CreateTenantAsync();
        using var backend = Cluster.Client(compromised.Secret, index: 0);
        var customer = (await ClusterFixture.Json(await backend.PostAsJsonAsync("/v1/customers", new { name = "Breached" }))).GetProperty("id").GetString()!;
        var customerKey = await ClusterFixture.Json(await backend.PostAsync($"/v1/customers/{customer}/api_keys", null));
        var customerSecret = customerKey.GetProperty("secret").GetString()!;
        for (var host = 0; host < 2; host++)
        {
            await WarmAsync(Cluster.Client(compromised.Secret, host), "/v1/customers", compromised.Secret, host);
            using var instance = Cluster.Client(index: host);
            instance.DefaultRequestHeaders.Add(CredentialSelector.CustomerKeyHeader, customerSecret);
            await WarmAsync(instance, $"/v1/customers/{customer}", customerSecret, host);
        }

        // 1. Revoke every key of the tenant, through host 0.
        var revoked = await CliAsync("--api-url", Cluster.ApiUrls[0].ToString(), "keys", "revoke-all", "--tenant", compromised.Id, "--json");
        Assert.True(revoked.Exit == ExitCodes.Ok, revoked.Error);
        Assert.Equal([compromised.KeyId], revoked.Json().GetProperty("api_keys_revoked").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal([customerKey.GetProperty("id").GetString()], revoked.Json().GetProperty("customer_keys_revoked").EnumerateArray().Select(k => k.GetString()));
        // At once on both hosts: the very next request on each, with both hosts having had both keys cached.
        for (var host = 0; host < 2; host++)
        {
            Assert.False(Cache(host).TryGet(CredentialDigest.Of(compromised.Secret), out _));
            Assert.False(Cache(host).TryGet(CredentialDigest.Of(customerSecret), out _));
            Assert.Equal(HttpStatusCode.Unauthorized, (await Cluster.Client(compromised.Secret, host).GetAsync("/v1/customers")).StatusCode);
            using var instance = Cluster.Client(index: host);
            instance.DefaultRequestHeaders.Add(CredentialSelector.CustomerKeyHeader, customerSecret);
            Assert.Equal(HttpStatusCode.Unauthorized, (await instance.GetAsync($"/v1/customers/{customer}")).StatusCode);
        }

        // 2. Block the attacker's address. Before: its failed authentication is audited (the control for the absence below).
        var bystander = await fixture.CreateTenantAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await FromAttacker(0, compromised.Secret).GetAsync("/v1/customers")).StatusCode);
        var blocked = await CliAsync("--api-url", Cluster.ApiUrls[1].ToString(), "blocklist", "add", "--address", "127.0.0.2", "--reason", "incident drill", "--json");
        Assert.True(blocked.Exit == ExitCodes.Ok, blocked.Error);
        Assert.Equal("127.0.0.2/32", blocked.Json().GetProperty("address").GetString());
        for (var host = 0; host < 2; host++)
        {
            // Refused before authentication: a valid key, a revoked key and no key at all get the same 403.
            foreach (var bearer in new[] { bystander.Secret, compromised.Secret, null })
            {
                var refused = await FromAttacker(host, bearer).GetAsync("/v1/customers");
                Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
                Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
                var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
                Assert.Equal("address_blocked", problem.GetProperty("code").GetString());
                Assert.Equal(403, problem.GetProperty("status").GetInt32());
                Assert.Equal("/docs/errors#address_blocked", problem.GetProperty("type").GetString());
                Assert.False(string.IsNullOrEmpty(problem.GetProperty("request_id").GetString()));
            }
        }
        // The operator, from another address, is not affected.
        Assert.Equal(HttpStatusCode.OK, (await Cluster.Client(bystander.Secret, 1).GetAsync("/v1/customers")).StatusCode);

        // 3. Unblock: the same valid key works again from that address, on both hosts.
        var unblocked = await CliAsync("--api-url", Cluster.ApiUrls[0].ToString(), "blocklist", "remove", "--address", "127.0.0.2/32");
        Assert.True(unblocked.Exit == ExitCodes.Ok, unblocked.Error);
        Assert.Equal(HttpStatusCode.OK, (await FromAttacker(0, bystander.Secret).GetAsync("/v1/customers")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await FromAttacker(1, bystander.Secret).GetAsync("/v1/customers")).StatusCode);
        var again = await CliAsync("--api-url", Cluster.ApiUrls[0].ToString(), "blocklist", "remove", "--address", "127.0.0.2/32");
        Assert.Equal(ExitCodes.NotFound, again.Exit);

        // 4. Rotate the data key with the existing rotation job.
        var rotation = await CliAsync("--api-url", Cluster.ApiUrls[1].ToString(), "data-keys", "rotate", "--json");
        Assert.True(rotation.Exit == ExitCodes.Ok, rotation.Error);

        // 5. Export the window: every step is in it, with who did it and from where.
        var file = Path.Combine(Path.GetTempPath(), "audit-" + Guid.NewGuid().ToString("N") + ".jsonl");
        var export = await CliAsync("--api-url", Cluster.ApiUrls[1].ToString(), "audit", "export", "--since", since.ToString(System.Globalization.CultureInfo.InvariantCulture), "--output", file);
        Assert.True(export.Exit == ExitCodes.Ok, export.Error);
        var entries = (await File.ReadAllLinesAsync(file)).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        File.Delete(file);
        JsonElement Single(string chain, string action, string subject) =>
            Assert.Single(entries, e => e.GetProperty("chain").GetString() == chain && e.GetProperty("action").GetString() == action
                && e.GetProperty("subject").GetString() == subject);
        var summary = Single(compromised.Id, "tenant.keys_revoked", compromised.Id);
        Assert.Equal("platform_admin", summary.GetProperty("actor").GetString());
        Assert.Equal("1", summary.GetProperty("details").GetProperty("api_keys_revoked").GetString());
        Assert.Equal("1", summary.GetProperty("details").GetProperty("customer_keys_revoked").GetString());
        Single(compromised.Id, "api_key.revoked", compromised.KeyId);
        Single(compromised.Id, "customer_api_key.revoked", customerKey.GetProperty("id").GetString()!);
        var block = Single("platform", "address.blocked", "127.0.0.2/32");
        Assert.Equal("incident drill", block.GetProperty("details").GetProperty("reason").GetString());
        Assert.Equal("127.0.0.1", block.GetProperty("ip").GetString());
        Single("platform", "address.unblocked", "127.0.0.2/32");
        Assert.Contains(entries, e => e.GetProperty("action").GetString() == "data_key_rotation.started");
        Assert.Contains(entries, e => e.GetProperty("action").GetString() == "audit.exported");
        // Oldest first across chains.
        var times = entries.Select(e => e.GetProperty("created").GetInt64()).ToList();
        Assert.Equal(times.Order(), times);
        // Exactly one failed authentication from the attacker's address: the one before the block. The six
        // requests while blocked never reached authentication.
        var failures = entries.Where(e => e.GetProperty("action").GetString() == "authentication.failed" && e.GetProperty("ip").GetString() == "127.0.0.2").ToList();
        Assert.Single(failures);
        Assert.True(failures[0].GetProperty("created").GetInt64() <= block.GetProperty("created").GetInt64());
    }

    [Fact]
    public async Task IncidentRoutes_RefuseBadInput_WithTheParam_AndTenantCredentials()
    {
        using var admin = Cluster.AdminClient(0);
        await AssertProblemAsync(await admin.PostAsJsonAsync("/v1/blocked_addresses", new { address = "10.0.0.1/8" }), 400, "parameter_invalid", "address");
        await AssertProblemAsync(await admin.PostAsJsonAsync("/v1/blocked_addresses", new { reason = "x" }), 400, "parameter_missing", "address");
        await AssertProblemAsync(await admin.GetAsync("/v1/audit_events/export"), 400, "parameter_missing", "since");
        await AssertProblemAsync(await admin.GetAsync("/v1/audit_events/export?since=100&until=50"), 400, "parameter_invalid", "until");
        await AssertProblemAsync(await admin.PostAsJsonAsync("/v1/tenants/ten_doesnotexist0000000000/revoke_keys", new { }), 404, "resource_missing", null);
        var tenant = await fixture.CreateTenantAsync();
        using var tenantAdmin = Cluster.Client(tenant.Secret, 0);
        Assert.Equal(HttpStatusCode.Forbidden, (await tenantAdmin.GetAsync("/v1/audit_events/export?since=0")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await tenantAdmin.PostAsJsonAsync("/v1/blocked_addresses", new { address = "203.0.113.0/24" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await tenantAdmin.PostAsJsonAsync($"/v1/tenants/{tenant.Id}/revoke_keys", new { })).StatusCode);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, int status, string code, string? param)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, body);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(code, problem.GetProperty("code").GetString());
        if (param is not null)
        {
            Assert.Equal(param, problem.GetProperty("param").GetString());
        }
    }

    /// <summary>A client whose connections leave from 127.0.0.2 (all of 127/8 is loopback on Linux).</summary>
    private HttpClient FromAttacker(int apiIndex, string? bearer)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(AttackerAddress, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        var client = new HttpClient(handler) { BaseAddress = Cluster.ApiUrls[apiIndex], Timeout = TimeSpan.FromSeconds(30) };
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        return client;
    }

    private async Task<CliRun> CliAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await PlatformCli.RunAsync(["--token", Cluster.AdminToken, .. args], output, error);
        return new CliRun(exit, output.ToString(), error.ToString());
    }

    private Platform.Api.Auth.CredentialCache Cache(int apiIndex) => Cluster.Apis[apiIndex].Services.GetRequiredService<Platform.Api.Auth.CredentialCache>();

    /// <summary>Requests until the host answers the credential from its cache, so the revocation has an entry to remove.</summary>
    private async Task WarmAsync(HttpClient client, string path, string secret, int apiIndex)
    {
        using (client)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (!Cache(apiIndex).TryGet(CredentialDigest.Of(secret), out _))
            {
                Assert.True(DateTime.UtcNow < deadline, "the host never cached the credential");
                (await client.GetAsync(path)).EnsureSuccessStatusCode();
                if (!Cache(apiIndex).TryGet(CredentialDigest.Of(secret), out _))
                {
                    await Task.Delay(200);
                }
            }
        }
    }

    private sealed record CliRun(int Exit, string Output, string Error)
    {
        public JsonElement Json() => JsonDocument.Parse(Output).RootElement;
    }
}

using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Silo.Database;

namespace Platform.Integration.Tests.Infrastructure;

/// <summary>
/// Started once for the whole run: PostgreSQL, the schema, and a cluster of two silos behind two API
/// hosts. Tests share it and stay apart by creating their own tenants.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = "";

    public PlatformCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        ConnectionString = await (await SharedPostgres.GetAsync()).CreateDatabaseAsync("platform");
        await new DatabaseMigrator(ConnectionString, NullLogger.Instance).MigrateAsync();
        // Tests share 127.0.0.1 and the platform admin: the default per-address limits (10 admin calls an
        // hour, 20 failed logins) would trip across tests. Tests of the limits set their own.
        Cluster = await PlatformCluster.StartAsync(ConnectionString, silos: 2, apis: 2, settings: new()
        {
            ["RateLimits:Admin:PermitLimit"] = "1000000",
            ["RateLimits:Api:PermitLimit"] = "1000000",
            ["RateLimits:Usage:PermitLimit"] = "1000000",
            ["RateLimits:AuthFailures:PermitLimit"] = "1000000",
            ["RateLimits:WebhookRefusals:PermitLimit"] = "1000000",
            // Test clock routes are then tenant-scoped like any other (RouteAccessTests); TestClocksDisabledTests shows them off.
            ["Billing:TestClocks"] = "true",
        });
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
    }

    /// <summary>A new tenant with one API key of the given role; returns its id and a client using the key.</summary>
    public async Task<TestTenant> CreateTenantAsync(string role = "admin", int apiIndex = 0)
    {
        using var admin = Cluster.AdminClient(apiIndex);
        var tenant = await Json(await admin.PostAsJsonAsync("/v1/tenants", new { name = "Tenant " + Guid.NewGuid().ToString("N")[..6] }));
        var tenantId = tenant.GetProperty("id").GetString()!;
        var key = await Json(await admin.PostAsJsonAsync($"/v1/tenants/{tenantId}/api_keys", new { role }));
        return new TestTenant(tenantId, key.GetProperty("id").GetString()!, key.GetProperty("secret").GetString()!);
    }

    public static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{(int)response.StatusCode} {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {body}");
        }
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}

public sealed record TestTenant(string Id, string KeyId, string Secret);

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}

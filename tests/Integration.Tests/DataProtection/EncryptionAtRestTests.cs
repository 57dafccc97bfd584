using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Storage;
using Platform.Grains.Common;
using Platform.Grains.Customers;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Customers;
using Platform.Integration.Tests.Infrastructure;
using Platform.Silo.Database;

namespace Platform.Integration.Tests.DataProtection;

/// <summary>Sensitive fields are ciphertext in PostgreSQL, and the configured key rotates without losing data.</summary>
[Collection(ClusterCollection.Name)]
public sealed class EncryptionAtRestTests(ClusterFixture fixture)
{
    [Fact]
    public async Task StoredRows_HoldNoPlaintextEmailNameOrWebhookSecret()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = fixture.Cluster.Client(tenant.Secret);
        var tag = Guid.NewGuid().ToString("N")[..12];
        var email = $"ada.{tag}@example.com";
        var name = $"Ada Byron {tag}";
        var renamed = $"Ada Lovelace {tag}";
        var created = await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/customers", new { email, name }));
        var customerId = created.GetProperty("id").GetString()!;
        await ClusterFixture.Json(await client.PatchAsJsonAsync($"/v1/customers/{customerId}", new { name = renamed }));
        var endpoint = await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/webhook_endpoints",
            new { url = Webhooks.WebhookEndpointsApiTests.PublicUrl, enabled_events = new[] { "customer.created" } }));
        var secret = endpoint.GetProperty("secret").GetString()!;

        // The API still shows the plaintext: it is decrypted in the grain.
        var read = await ClusterFixture.Json(await client.GetAsync($"/v1/customers/{customerId}"));
        Assert.Equal(email, read.GetProperty("email").GetString());
        Assert.Equal(renamed, read.GetProperty("name").GetString());
        Assert.Equal("active", read.GetProperty("status").GetString());

        // platform_events is the event log delivered to the tenant's own endpoints: it carries the
        // resource as the API shows it (30-day retention, anonymized by an erasure; docs/DATA-PROTECTION.md).
        var plaintext = await DatabaseScan.FindAsync(fixture.ConnectionString, [email, name, renamed, secret, tag], "platform_events");
        Assert.Empty(plaintext);

        // The customer's state is there, encrypted under its data key, which is stored wrapped with its key id.
        var state = Assert.Single(await DatabaseScan.GrainStatesContainingAsync(fixture.ConnectionString, customerId + "\""));
        Assert.Contains("dk:", state, StringComparison.Ordinal);
        var kekId = await DatabaseScan.ScalarAsync<string>(fixture.ConnectionString,
            "SELECT kek_id FROM platform_data_keys WHERE scope = $1", $"customer:{tenant.Id}/{customerId}");
        Assert.Equal("k1", kekId);
        // The audit trail records the new name encrypted under the same key.
        var details = await DatabaseScan.ScalarAsync<string>(fixture.ConnectionString,
            "SELECT details::text FROM platform_audit_log WHERE chain = $1 AND action = 'customer.updated' AND subject = $2", tenant.Id, customerId);
        Assert.Contains("\"name\": \"dk:", details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CustomerStoredBeforeEncryption_IsEncryptedOnActivation_AndStillReads()
    {
        var tenant = await fixture.CreateTenantAsync();
        var customerId = PlatformIds.NewCustomerId();
        var email = $"legacy.{UniqueText.Letters()}@example.com";
        // A state as the grain wrote it before encryption at rest: plaintext email and name.
        var grainId = fixture.Cluster.ClusterClient.GetGrain<ICustomerGrain>(PlatformIds.CustomerKey(tenant.Id, customerId)).GetGrainId();
        var storage = fixture.Cluster.Silos[0].Services.GetRequiredKeyedService<IGrainStorage>(PlatformStorage.Name);
        var now = DateTimeOffset.UtcNow;
        await storage.WriteStateAsync(CustomerGrain.StateName, grainId, new GrainState<CustomerState>(new CustomerState
        {
            Id = customerId, Email = email, Name = "Legacy Name", Created = now, Updated = now,
        }));
        Assert.NotEmpty(await DatabaseScan.FindAsync(fixture.ConnectionString, [email], "platform_events"));

        using var client = fixture.Cluster.Client(tenant.Secret);
        var read = await ClusterFixture.Json(await client.GetAsync($"/v1/customers/{customerId}"));

        Assert.Equal(email, read.GetProperty("email").GetString());
        Assert.Equal("Legacy Name", read.GetProperty("name").GetString());
        Assert.Empty(await DatabaseScan.FindAsync(fixture.ConnectionString, [email, "Legacy Name"], "platform_events"));
        Assert.Contains("dk:", Assert.Single(await DatabaseScan.GrainStatesContainingAsync(fixture.ConnectionString, customerId + "\"")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyRotation_OldDataStaysReadable_ThenTheJobRewrapsEveryDataKey()
    {
        var connectionString = await (await SharedPostgres.GetAsync()).CreateDatabaseAsync("rotation");
        await new DatabaseMigrator(connectionString, NullLogger.Instance).MigrateAsync();
        // One service id across the three clusters: grain state is stored per service.
        var service = "rotation-" + Guid.NewGuid().ToString("N")[..8];
        var oldKey = NewKey();
        var newKey = NewKey();
        var customers = new Dictionary<string, string>();
        string tenantSecret;
        string endpointId;

        // 1. A cluster under the first key writes customers.
        await using (var first = await PlatformCluster.StartAsync(connectionString, silos: 1, settings: Settings(service, new()
        {
            ["Platform:DataKey"] = oldKey,
            ["Platform:DataKeyId"] = "old",
        })))
        {
            (_, tenantSecret) = await TenantAsync(first);
            using var client = first.Client(tenantSecret);
            for (var i = 0; i < 3; i++)
            {
                var email = $"rotate{i}.{UniqueText.Letters()}@example.com";
                var customer = await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/customers", new { email, name = "Rotating " + i }));
                customers[customer.GetProperty("id").GetString()!] = email;
            }
            // A webhook secret, encrypted directly under the configured key (an event that never happens here).
            endpointId = (await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/webhook_endpoints",
                new { url = Webhooks.WebhookEndpointsApiTests.PublicUrl, enabled_events = new[] { "webhook_endpoint.disabled" } }))).GetProperty("id").GetString()!;
        }
        Assert.Contains("\"old:", Assert.Single(await DatabaseScan.GrainStatesContainingAsync(connectionString, endpointId + "\""), IsEndpointState), StringComparison.Ordinal);
        Assert.Equal(3L, await DatabaseScan.ScalarAsync<long>(connectionString, "SELECT count(*) FROM platform_data_keys WHERE kek_id = 'old'"));

        // 2. The operator configures a new current key and keeps the old one readable.
        await using (var second = await PlatformCluster.StartAsync(connectionString, silos: 1, settings: Settings(service, new()
        {
            ["Platform:DataKey"] = newKey,
            ["Platform:DataKeyId"] = "new",
            ["Platform:DataKeys:old"] = oldKey,
        })))
        {
            using var client = second.Client(tenantSecret);
            var first = customers.First();
            Assert.Equal(first.Value, (await ClusterFixture.Json(await client.GetAsync($"/v1/customers/{first.Key}"))).GetProperty("email").GetString());

            using var admin = second.AdminClient();
            var started = await ClusterFixture.Json(await admin.PostAsync("/v1/data_keys/rotation", null));
            Assert.Equal("new", started.GetProperty("current_key_id").GetString());
            var done = await PollAsync(admin, r => r.GetProperty("status").GetString() == "idle" && r.GetProperty("finished").ValueKind == JsonValueKind.Number);
            Assert.Equal(3, done.GetProperty("rewrapped").GetInt64());
            var byKey = done.GetProperty("data_keys_by_key_id");
            Assert.Equal(3, byKey.GetProperty("new").GetInt64());
            Assert.False(byKey.TryGetProperty("old", out _));
            // The endpoint moves its secret to the current key when it activates.
            await ClusterFixture.Json(await client.GetAsync($"/v1/webhook_endpoints/{endpointId}"));
        }
        var endpointState = Assert.Single(await DatabaseScan.GrainStatesContainingAsync(connectionString, endpointId + "\""), IsEndpointState);
        Assert.Contains("\"new:", endpointState, StringComparison.Ordinal);
        Assert.DoesNotContain("\"old:", endpointState, StringComparison.Ordinal);
        Assert.Equal(0L, await DatabaseScan.ScalarAsync<long>(connectionString, "SELECT count(*) FROM platform_data_keys WHERE kek_id = 'old'"));

        // 3. With the old key gone from configuration, every customer still reads back.
        await using var third = await PlatformCluster.StartAsync(connectionString, silos: 1, settings: Settings(service, new()
        {
            ["Platform:DataKey"] = newKey,
            ["Platform:DataKeyId"] = "new",
        }));
        using var after = third.Client(tenantSecret);
        foreach (var (id, email) in customers)
        {
            Assert.Equal(email, (await ClusterFixture.Json(await after.GetAsync($"/v1/customers/{id}"))).GetProperty("email").GetString());
        }
    }

    private static bool IsEndpointState(string payload) => payload.Contains("WebhookEndpointState", StringComparison.Ordinal);

    private static string NewKey() => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    private static Dictionary<string, string?> Settings(string service, Dictionary<string, string?> keys)
    {
        var settings = PciClusterFixture.NoRateLimits();
        settings["Orleans:ServiceId"] = service;
        settings["Orleans:ClusterId"] = service;
        foreach (var (key, value) in keys)
        {
            settings[key] = value;
        }
        return settings;
    }

    private static async Task<(string TenantId, string Secret)> TenantAsync(PlatformCluster cluster)
    {
        using var admin = cluster.AdminClient();
        var tenant = await ClusterFixture.Json(await admin.PostAsJsonAsync("/v1/tenants", new { name = "Rotation" }));
        var tenantId = tenant.GetProperty("id").GetString()!;
        var key = await ClusterFixture.Json(await admin.PostAsJsonAsync($"/v1/tenants/{tenantId}/api_keys", new { role = "admin" }));
        return (tenantId, key.GetProperty("secret").GetString()!);
    }

    private static async Task<JsonElement> PollAsync(HttpClient admin, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var status = await ClusterFixture.Json(await admin.GetAsync("/v1/data_keys/rotation"));
            if (done(status))
            {
                return status;
            }
            Assert.True(DateTime.UtcNow < deadline, "the rotation did not finish within 60 s: " + status);
            await Task.Delay(100);
        }
    }
}

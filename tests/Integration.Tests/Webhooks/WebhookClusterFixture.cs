using System.Net.Http.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Integration.Tests.Infrastructure;
using Platform.Silo.Database;

namespace Platform.Integration.Tests.Webhooks;

/// <summary>
/// A cluster (two silos, one API) whose webhook settings suit tests: receivers on loopback over plain
/// HTTP are allowed, backoff is in tenths of a second, reminders tick every two seconds; and the
/// receiver every test subscribes to.
/// </summary>
public sealed class WebhookClusterFixture : IAsyncLifetime
{
    public PlatformCluster Cluster { get; private set; } = null!;

    public WebhookReceiver Receiver { get; private set; } = null!;

    public string ConnectionString { get; private set; } = "";

    public static Dictionary<string, string?> Settings(int maxAttempts = 5) => new()
    {
        ["Webhooks:AllowPrivateNetworks"] = "true",
        ["Webhooks:RequireHttps"] = "false",
        ["Webhooks:RetryBaseDelay"] = "00:00:00.100",
        ["Webhooks:RetryMaxDelay"] = "00:00:01",
        ["Webhooks:MaxAttempts"] = maxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Webhooks:ReminderPeriod"] = "00:00:02",
        ["Silo:Reminders:MinimumReminderPeriod"] = "00:00:01",
        ["RateLimits:Admin:PermitLimit"] = "1000000",
        ["RateLimits:Api:PermitLimit"] = "1000000",
        ["RateLimits:AuthFailures:PermitLimit"] = "1000000",
    };

    public async Task InitializeAsync()
    {
        ConnectionString = await (await SharedPostgres.GetAsync()).CreateDatabaseAsync("webhooks");
        await new DatabaseMigrator(ConnectionString, NullLogger.Instance).MigrateAsync();
        Receiver = await WebhookReceiver.StartAsync();
        Cluster = await PlatformCluster.StartAsync(ConnectionString, silos: 2, apis: 1, settings: Settings());
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Receiver.DisposeAsync();
    }

    /// <summary>A new tenant (admin key) with an API client.</summary>
    public async Task<(string TenantId, HttpClient Client)> TenantAsync() => await CreateTenantAsync(Cluster);

    public static async Task<(string TenantId, HttpClient Client)> CreateTenantAsync(PlatformCluster cluster)
    {
        using var admin = cluster.AdminClient();
        var tenant = await ClusterFixture.Json(await admin.PostAsJsonAsync("/v1/tenants", new { name = "Webhooks " + Guid.NewGuid().ToString("N")[..6] }));
        var tenantId = tenant.GetProperty("id").GetString()!;
        var key = await ClusterFixture.Json(await admin.PostAsJsonAsync($"/v1/tenants/{tenantId}/api_keys", new { role = "admin" }));
        return (tenantId, cluster.Client(key.GetProperty("secret").GetString()));
    }
}

[CollectionDefinition(Name)]
public sealed class WebhookCollection : ICollectionFixture<WebhookClusterFixture>
{
    public const string Name = "webhooks";
}

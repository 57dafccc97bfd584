using System.Net.Http.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Integration.Tests.Infrastructure;
using Platform.Silo.Database;
using Platform.StripeFake;

namespace Platform.Integration.Tests.DataProtection;

/// <summary>
/// The production split (a core silo, a pci silo with the Stripe fake, one API) with reminders that tick
/// within seconds, so an interrupted erasure is seen to resume. Tests make their own tenants.
/// </summary>
public sealed class DataProtectionClusterFixture : IAsyncLifetime
{
    public const string WebhookSecret = "whsec_data_protection_fixture";

    public string ConnectionString { get; private set; } = "";

    public PlatformCluster Cluster { get; private set; } = null!;

    public StripeFakeServer Stripe { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Stripe = await StripeFakeServer.StartAsync(new StripeFakeOptions { ApiKey = PciClusterFixture.StripeSecretKey });
        ConnectionString = await (await SharedPostgres.GetAsync()).CreateDatabaseAsync("privacy");
        await new DatabaseMigrator(ConnectionString, NullLogger.Instance).MigrateAsync();
        var settings = PciClusterFixture.NoRateLimits();
        settings["Silo:Reminders:MinimumReminderPeriod"] = "00:00:01";
        settings["DataProtection:ErasureRetryPeriod"] = "00:00:02";
        var pci = PciClusterFixture.StripeSettings(Stripe.BaseUrl);
        pci["Stripe:WebhookSecret"] = WebhookSecret;
        // No test here waits out a Stripe timeout: generous ones keep a loaded machine from turning slow answers into failures.
        pci["Stripe:AttemptTimeout"] = "00:00:08";
        pci["Stripe:RequestTimeout"] = "00:00:20";
        pci["Stripe:OperationTimeout"] = "00:00:25";
        Cluster = await PlatformCluster.StartAsync(ConnectionString, silos: 2, apis: 1, siloRoles: ["core", "pci"],
            settings: settings, siloSettings: [null, pci]);
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Stripe.DisposeAsync();
    }

    public async Task<(string TenantId, HttpClient Client)> TenantAsync()
    {
        using var admin = Cluster.AdminClient();
        var tenant = await ClusterFixture.Json(await admin.PostAsJsonAsync("/v1/tenants", new { name = "Privacy " + Guid.NewGuid().ToString("N")[..6] }));
        var tenantId = tenant.GetProperty("id").GetString()!;
        var key = await ClusterFixture.Json(await admin.PostAsJsonAsync($"/v1/tenants/{tenantId}/api_keys", new { role = "admin" }));
        return (tenantId, Cluster.Client(key.GetProperty("secret").GetString()));
    }
}

[CollectionDefinition(Name)]
public sealed class DataProtectionCollection : ICollectionFixture<DataProtectionClusterFixture>
{
    public const string Name = "data-protection";
}

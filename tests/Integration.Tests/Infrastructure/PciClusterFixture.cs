using System.Net.Http.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Silo.Database;
using Platform.StripeFake;

namespace Platform.Integration.Tests.Infrastructure;

/// <summary>
/// The PCI split as in production: one silo with role <c>core</c>, one with role <c>pci</c>, two API hosts,
/// and the Stripe fake on HTTP. Only the pci silo gets Stripe settings. Tests make their own tenants.
/// </summary>
public sealed class PciClusterFixture : IAsyncLifetime
{
    public const string StripeSecretKey = "sk_test_platform_pci";
    public const string StripePublishableKey = "pk_test_platform_pci";

    /// <summary>The pci silo's current webhook secret; the Stripe fake signs its deliveries with it.</summary>
    public const string WebhookSecret = "whsec_test_platform_current";

    /// <summary>A secret from before a rotation, still accepted by the pci silo.</summary>
    public const string PreviousWebhookSecret = "whsec_test_platform_previous";

    public string ConnectionString { get; private set; } = "";

    public PlatformCluster Cluster { get; private set; } = null!;

    public StripeFakeServer Stripe { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Stripe = await StripeFakeServer.StartAsync(new StripeFakeOptions { ApiKey = StripeSecretKey, WebhookSecret = WebhookSecret });
        ConnectionString = await (await SharedPostgres.GetAsync()).CreateDatabaseAsync("pci");
        await new DatabaseMigrator(ConnectionString, NullLogger.Instance).MigrateAsync();
        Cluster = await PlatformCluster.StartAsync(ConnectionString, silos: 2, apis: 2, siloRoles: ["core", "pci"],
            settings: new Dictionary<string, string?>(NoRateLimits())
            {
                // Usage reaches the real StripeMeterGrain on the pci silo quickly (StripeMeterForwardingTests).
                ["Usage:ForwardingInterval"] = "00:00:00.200",
                ["Usage:ForwardingGrace"] = "00:00:00.500",
                // A failed Stripe event is due again at once, so a test's explicit sweep retries it (no waiting).
                ["StripeWebhooks:RetryBaseDelay"] = "00:00:00",
            },
            siloSettings: [null, StripeSettings(Stripe.BaseUrl)]);
    }

    /// <summary>As in ClusterFixture: tests share 127.0.0.1 and the admin token, so the per-address limits would trip.</summary>
    public static Dictionary<string, string?> NoRateLimits() => new()
    {
        ["RateLimits:Admin:PermitLimit"] = "1000000",
        ["RateLimits:Api:PermitLimit"] = "1000000",
        ["RateLimits:Usage:PermitLimit"] = "1000000",
        ["RateLimits:AuthFailures:PermitLimit"] = "1000000",
        ["RateLimits:WebhookRefusals:PermitLimit"] = "1000000",
    };

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Stripe.DisposeAsync();
    }

    /// <summary>Stripe settings of the pci silo: the fake, a short attempt timeout (the timeout test waits it out) and quick retries.</summary>
    public static Dictionary<string, string?> StripeSettings(string apiBase) => new()
    {
        ["Stripe:SecretKey"] = StripeSecretKey,
        ["Stripe:PublishableKey"] = StripePublishableKey,
        ["Stripe:ApiBase"] = apiBase,
        ["Stripe:AttemptTimeout"] = "00:00:02",
        ["Stripe:RequestTimeout"] = "00:00:10",
        ["Stripe:OperationTimeout"] = "00:00:20",
        ["Stripe:RetryBaseDelay"] = "00:00:00.100",
        ["Stripe:SyncAfter"] = "00:00:00",
        ["Stripe:WebhookSecret"] = WebhookSecret,
        ["Stripe:PreviousWebhookSecrets:0"] = PreviousWebhookSecret,
    };

    public async Task<TestTenant> CreateTenantAsync(string role = "admin")
    {
        using var admin = Cluster.AdminClient();
        var tenant = await ClusterFixture.Json(await admin.PostAsJsonAsync("/v1/tenants", new { name = "PCI " + Guid.NewGuid().ToString("N")[..6] }));
        var tenantId = tenant.GetProperty("id").GetString()!;
        var key = await ClusterFixture.Json(await admin.PostAsJsonAsync($"/v1/tenants/{tenantId}/api_keys", new { role }));
        return new TestTenant(tenantId, key.GetProperty("id").GetString()!, key.GetProperty("secret").GetString()!);
    }

    /// <summary>A key of another role for an existing tenant.</summary>
    public async Task<string> CreateKeyAsync(string tenantId, string role)
    {
        using var admin = Cluster.AdminClient();
        var key = await ClusterFixture.Json(await admin.PostAsJsonAsync($"/v1/tenants/{tenantId}/api_keys", new { role }));
        return key.GetProperty("secret").GetString()!;
    }
}

[CollectionDefinition(Name)]
public sealed class PciClusterCollection : ICollectionFixture<PciClusterFixture>
{
    public const string Name = "pci";
}

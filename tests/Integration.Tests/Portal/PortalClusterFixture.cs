using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Platform.Integration.Tests.Infrastructure;
using Platform.Silo.Database;
using Platform.StripeFake;

namespace Platform.Integration.Tests.Portal;

/// <summary>
/// The full stack for the portal: a core and a pci silo, one API host on real HTTP, PostgreSQL, and the Stripe
/// fake (whose hosted Checkout page the browser visits and whose signed webhooks reach the API). The portal's
/// clock (link and session expiry) is a <see cref="FakeTimeProvider"/> the tests move; nothing else is.
/// </summary>
public sealed class PortalClusterFixture : IAsyncLifetime
{
    public FakeTimeProvider PortalClock { get; } = new(DateTimeOffset.UtcNow);

    public PlatformCluster Cluster { get; private set; } = null!;

    public StripeFakeServer Stripe { get; private set; } = null!;

    public Uri ApiUrl => Cluster.ApiUrls[0];

    public async Task InitializeAsync()
    {
        Stripe = await StripeFakeServer.StartAsync(new StripeFakeOptions
        {
            ApiKey = PciClusterFixture.StripeSecretKey,
            WebhookSecret = PciClusterFixture.WebhookSecret,
        });
        var connectionString = await (await SharedPostgres.GetAsync()).CreateDatabaseAsync("portal");
        await new DatabaseMigrator(connectionString, NullLogger.Instance).MigrateAsync();
        Cluster = await PlatformCluster.StartAsync(connectionString, silos: 2, apis: 1, siloRoles: ["core", "pci"],
            settings: PciClusterFixture.NoRateLimits(),
            siloSettings: [null, PciClusterFixture.StripeSettings(Stripe.BaseUrl)],
            siloServices: services => services.AddKeyedSingleton<TimeProvider>(Platform.Grains.Portal.PortalClock.Key, PortalClock));
        // Every test here wants Stripe's events delivered (the card saved through Checkout, subscription changes).
        Stripe.Webhooks.Url = ApiUrl + "v1/stripe/webhook";
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Stripe.DisposeAsync();
    }

    /// <summary>A tenant with an admin key, a customer, two plans and the customer subscribed to the first.</summary>
    public async Task<PortalScenario> ScenarioAsync(string tenantName = "Acme Cloud")
    {
        using var admin = Cluster.AdminClient();
        var tenant = await ClusterFixture.Json(await admin.PostAsJsonAsync("/v1/tenants", new { name = tenantName }));
        var tenantId = tenant.GetProperty("id").GetString()!;
        var key = await ClusterFixture.Json(await admin.PostAsJsonAsync($"/v1/tenants/{tenantId}/api_keys", new { role = "admin" }));
        var secret = key.GetProperty("secret").GetString()!;
        using var client = Cluster.Client(secret);
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var starter = await IdAsync(client, "/v1/plans", Plan("starter-" + suffix, "Starter", 1900, 1000));
        var growth = await IdAsync(client, "/v1/plans", Plan("growth-" + suffix, "Growth", 9900, 50000));
        var customer = await IdAsync(client, "/v1/customers", new { name = "Ada Lovelace", email = "ada@example.com" });
        await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/subscriptions", new { customer, plan = starter }));
        return new PortalScenario(tenantId, secret, customer, starter, growth);
    }

    /// <summary>Another customer of the scenario's tenant, subscribed to its Growth plan.</summary>
    public async Task<string> OtherCustomerAsync(PortalScenario scenario)
    {
        using var client = Cluster.Client(scenario.Secret);
        var customer = await IdAsync(client, "/v1/customers", new { name = "Bob Other", email = "bob@example.com" });
        await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/subscriptions", new { customer, plan = scenario.GrowthPlan }));
        return customer;
    }

    /// <summary>POST /v1/billing_portal/sessions, as the tenant's backend would.</summary>
    public async Task<System.Text.Json.JsonElement> PortalSessionAsync(string secret, string customer)
    {
        using var client = Cluster.Client(secret);
        return await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/billing_portal/sessions",
            new { customer, return_url = "https://app.example.com/account" }));
    }

    public async Task ReportUsageAsync(string secret, string customer, string metric, long quantity)
    {
        using var client = Cluster.Client(secret);
        await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/usage_events",
            new { event_id = "evt-" + Guid.NewGuid().ToString("N"), customer, metric, quantity }));
    }

    private static object Plan(string code, string name, long amount, long apiCalls) => new
    {
        code,
        name,
        interval = "month",
        currency = "usd",
        amount,
        trial_days = 0,
        usage_charges = Array.Empty<object>(),
        entitlements = new object[] { new { feature = "api_calls", limit = apiCalls }, new { feature = "sso" } },
    };

    private static async Task<string> IdAsync(HttpClient client, string path, object body) =>
        (await ClusterFixture.Json(await client.PostAsJsonAsync(path, body))).GetProperty("id").GetString()!;
}

[CollectionDefinition(Name)]
public sealed class PortalCollection : ICollectionFixture<PortalClusterFixture>
{
    public const string Name = "portal";
}

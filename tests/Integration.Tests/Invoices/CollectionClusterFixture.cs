using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Platform.Integration.Tests.Infrastructure;
using Platform.Silo.Database;
using Platform.StripeFake;

namespace Platform.Integration.Tests.Invoices;

/// <summary>
/// The full billing loop: two core silos and a pci silo, an API host over real HTTP with test clocks on, PostgreSQL,
/// and the Stripe fake (its signed webhooks reach the API). Billing time is each customer's test clock; the usage
/// meter reads real time, so clocks start days in the past and plans bill by the day.
/// </summary>
public sealed class CollectionClusterFixture : IAsyncLifetime
{
    public PlatformCluster Cluster { get; private set; } = null!;

    public StripeFakeServer Stripe { get; private set; } = null!;

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Stripe = await StripeFakeServer.StartAsync(new StripeFakeOptions
        {
            ApiKey = PciClusterFixture.StripeSecretKey,
            WebhookSecret = PciClusterFixture.WebhookSecret,
        });
        ConnectionString = await (await SharedPostgres.GetAsync()).CreateDatabaseAsync("collection");
        await new DatabaseMigrator(ConnectionString, NullLogger.Instance).MigrateAsync();
        Cluster = await PlatformCluster.StartAsync(ConnectionString, silos: 3, apis: 1, siloRoles: ["core", "core", "pci"],
            settings: new Dictionary<string, string?>(PciClusterFixture.NoRateLimits())
            {
                ["Billing:TestClocks"] = "true",
                ["StripeWebhooks:RetryBaseDelay"] = "00:00:00",
                // Usage of Stripe-managed customers reaches Stripe's meter quickly (StripeUsageBillingTests).
                ["Usage:ForwardingInterval"] = "00:00:00.200",
                ["Usage:ForwardingGrace"] = "00:00:00.500",
            },
            siloSettings: [null, null, PciClusterFixture.StripeSettings(Stripe.BaseUrl)]);
        Stripe.Webhooks.Url = Cluster.ApiUrls[0] + "v1/stripe/webhook";
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Stripe.DisposeAsync();
    }

    /// <summary>A tenant with an admin key (its client), a test clock at <paramref name="start"/> and a daily plan: flat 1,500 and api_calls graduated 0–100 at 10, 101–1,000 at 5, beyond at 2.</summary>
    public async Task<BillingTenant> TenantAsync(DateTimeOffset start)
    {
        using var admin = Cluster.AdminClient();
        var tenant = (await ClusterFixture.Json(await admin.PostAsJsonAsync("/v1/tenants", new { name = "Billing Co" }))).GetProperty("id").GetString()!;
        var secret = (await ClusterFixture.Json(await admin.PostAsJsonAsync($"/v1/tenants/{tenant}/api_keys", new { role = "admin" }))).GetProperty("secret").GetString()!;
        var client = Cluster.Client(secret);
        var clock = (await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/test_clocks", new { frozen_time = start.ToUnixTimeSeconds(), name = "month end" })))
            .GetProperty("id").GetString()!;
        var plan = (await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/plans", new
        {
            code = "daily-" + Guid.NewGuid().ToString("N")[..6],
            interval = "day",
            currency = "usd",
            amount = 1500,
            usage_charges = new object[]
            {
                new { metric = "api_calls", pricing_model = "graduated", tiers = new object[] { new { up_to = 100, unit_amount = 10 }, new { up_to = 1000, unit_amount = 5 }, new { unit_amount = 2 } } },
            },
        }))).GetProperty("id").GetString()!;
        return new BillingTenant(tenant, client, clock, plan);
    }

    /// <summary>A customer on the tenant's clock with <paramref name="card"/> attached (its default), subscribed to the plan.</summary>
    public async Task<(string Customer, string PaymentMethod, JsonElement Subscription)> SubscribedCustomerAsync(BillingTenant tenant, string card)
    {
        var customer = (await ClusterFixture.Json(await tenant.Client.PostAsJsonAsync("/v1/customers", new { name = "Metered", test_clock = tenant.Clock })))
            .GetProperty("id").GetString()!;
        var method = (await ClusterFixture.Json(await tenant.Client.PostAsJsonAsync($"/v1/payment_methods/{card}/attach", new { customer })))
            .GetProperty("id").GetString()!;
        var subscription = await ClusterFixture.Json(await tenant.Client.PostAsJsonAsync("/v1/subscriptions", new { customer, plan = tenant.Plan }));
        return (customer, method, subscription);
    }

    public async Task<JsonElement> AdvanceAsync(BillingTenant tenant, DateTimeOffset to) =>
        await ClusterFixture.Json(await tenant.Client.PostAsJsonAsync($"/v1/test_clocks/{tenant.Clock}/advance", new { frozen_time = to.ToUnixTimeSeconds() }));

    public async Task<JsonElement[]> InvoicesAsync(BillingTenant tenant, string customer) =>
        (await ClusterFixture.Json(await tenant.Client.GetAsync($"/v1/customers/{customer}/invoices?limit=100"))).GetProperty("data")
        .EnumerateArray().OrderBy(i => i.GetProperty("period_start").GetInt64()).ToArray();

    public async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.AddWithValue(parameter);
        }
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The fake's charges of the PaymentIntents made for one invoice (metadata invoice_id), by status.</summary>
    public (int PaymentIntents, int Succeeded, int Failed) ChargesAtStripe(string invoiceId)
    {
        var intents = Stripe.State.List("payment_intent").Where(pi => (string?)pi["metadata"]?["invoice_id"] == invoiceId)
            .Select(pi => (string)pi["id"]!).ToHashSet();
        var charges = Stripe.State.List("charge").Where(c => intents.Contains((string?)c["payment_intent"] ?? "")).ToArray();
        return (intents.Count, charges.Count(c => (string?)c["status"] == "succeeded"), charges.Count(c => (string?)c["status"] == "failed"));
    }
}

public sealed record BillingTenant(string Id, HttpClient Client, string Clock, string Plan) : IDisposable
{
    public void Dispose() => Client.Dispose();
}

[CollectionDefinition(Name)]
public sealed class CollectionCollection : ICollectionFixture<CollectionClusterFixture>
{
    public const string Name = "invoice-collection";
}

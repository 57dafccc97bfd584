using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Invoices;
using Platform.Grains.Subscriptions;
using Platform.Grains.Usage;
using Platform.Integration.Tests.Infrastructure;
using Platform.Silo.Database;

namespace Platform.Integration.Tests.Invoices;

/// <summary>
/// Two silos and an API host whose billing clock (period roll-overs, invoice grace) is a <see cref="FakeTimeProvider"/>
/// set 20 days in the past, so usage dated in the periods it bills is in the meter's accepted window (the meter reads
/// real time). Subscription and invoice reminders tick every second.
/// </summary>
public sealed class InvoiceClusterFixture : IAsyncLifetime
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddDays(-20).ToUnixTimeSeconds()));

    public PlatformCluster Cluster { get; private set; } = null!;

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        ConnectionString = await (await SharedPostgres.GetAsync()).CreateDatabaseAsync("invoices");
        await new DatabaseMigrator(ConnectionString, NullLogger.Instance).MigrateAsync();
        Cluster = await PlatformCluster.StartAsync(ConnectionString, silos: 2, apis: 1,
            settings: new Dictionary<string, string?>(PciClusterFixture.NoRateLimits())
            {
                ["Silo:Reminders:MinimumReminderPeriod"] = "00:00:01",
                ["Subscriptions:ReminderPeriod"] = "00:00:01",
                ["Invoices:ReminderPeriod"] = "00:00:01",
            },
            siloServices: services =>
            {
                services.AddKeyedSingleton<TimeProvider>(BillingClock.Key, Clock);
                services.AddSingleton<IUsageForwarder>(new RecordingUsageForwarder());
            });
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    /// <summary>A new tenant with an admin key and a read key; the admin client is the tenant's.</summary>
    public async Task<InvoiceTenant> NewTenantAsync()
    {
        using var admin = Cluster.AdminClient();
        var tenant = (await ClusterFixture.Json(await admin.PostAsJsonAsync("/v1/tenants", new { name = "Invoicing" }))).GetProperty("id").GetString()!;
        var secret = (await ClusterFixture.Json(await admin.PostAsJsonAsync($"/v1/tenants/{tenant}/api_keys", new { role = "admin" }))).GetProperty("secret").GetString()!;
        var read = (await ClusterFixture.Json(await admin.PostAsJsonAsync($"/v1/tenants/{tenant}/api_keys", new { role = "read" }))).GetProperty("secret").GetString()!;
        return new InvoiceTenant(tenant, Cluster.Client(secret), Cluster.Client(read));
    }

    /// <summary>
    /// A plan of one day: a flat fee of 1,500 and api_calls graduated 0–100 at 10, 101–1,000 at 5, beyond at 2.
    /// A customer subscribed to it; its first period starts at the billing clock's now.
    /// </summary>
    public async Task<(string Plan, string Customer, string Subscription, DateTimeOffset PeriodStart)> SubscribedCustomerAsync(
        InvoiceTenant tenant, long flatAmount = 1500)
    {
        var plan = (await ClusterFixture.Json(await tenant.Client.PostAsJsonAsync("/v1/plans", new
        {
            code = "daily-" + Guid.NewGuid().ToString("N")[..6],
            interval = "day",
            currency = "usd",
            amount = flatAmount,
            usage_charges = new object[]
            {
                new { metric = "api_calls", pricing_model = "graduated", tiers = new object[] { new { up_to = 100, unit_amount = 10 }, new { up_to = 1000, unit_amount = 5 }, new { unit_amount = 2 } } },
            },
        }))).GetProperty("id").GetString()!;
        var customer = (await ClusterFixture.Json(await tenant.Client.PostAsJsonAsync("/v1/customers", new { name = "Metered" }))).GetProperty("id").GetString()!;
        var subscription = await ClusterFixture.Json(await tenant.Client.PostAsJsonAsync("/v1/subscriptions", new { customer, plan }));
        return (plan, customer, subscription.GetProperty("id").GetString()!,
            DateTimeOffset.FromUnixTimeSeconds(subscription.GetProperty("current_period_start").GetInt64()));
    }

    /// <summary>What the subscription's period roll-over does for a closed period: the draft, by a grain call.</summary>
    public Task<InvoiceSnapshot> DraftAsync(string tenantId, string customer, string subscription, string plan, DateTimeOffset start, DateTimeOffset end,
        string collectionMethod = CollectionMethods.ChargeAutomatically) =>
        Invoice(tenantId, PlatformIds.InvoiceIdFor(tenantId, subscription, start))
            .CreateDraftAsync(new InvoiceDraft(customer, subscription, plan, start, end, collectionMethod, collectionMethod == CollectionMethods.SendInvoice ? 30 : null));

    public IInvoiceGrain Invoice(string tenantId, string invoiceId) =>
        Cluster.ClusterClient.GetGrain<IInvoiceGrain>(PlatformIds.InvoiceKey(tenantId, invoiceId));

    public static async Task<JsonElement> PollInvoiceAsync(HttpClient client, string id, Func<JsonElement, bool> done)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        JsonElement last;
        do
        {
            last = await ClusterFixture.Json(await client.GetAsync($"/v1/invoices/{id}"));
            if (done(last))
            {
                return last;
            }
            await Task.Delay(200);
        }
        while (DateTime.UtcNow < until);
        throw new TimeoutException($"Invoice {id} never reached the expected state: {last}");
    }

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
}

public sealed record InvoiceTenant(string Id, HttpClient Client, HttpClient Reader) : IDisposable
{
    public void Dispose()
    {
        Client.Dispose();
        Reader.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class InvoiceCollection : ICollectionFixture<InvoiceClusterFixture>
{
    public const string Name = "invoices";
}

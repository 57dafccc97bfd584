using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Invoices;
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
    /// <summary>Starter's usage price: the first 100 api calls free, then 0.02 USD each (a graduated charge, so invoices show tiers).</summary>
    private static readonly object[] _starterApiCalls =
    [
        new { metric = "api_calls", pricing_model = "graduated", tiers = new object[] { new { up_to = 100, unit_amount = 0 }, new { unit_amount = 2 } } },
    ];

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
        var starter = await IdAsync(client, "/v1/plans", Plan("starter-" + suffix, "Starter", 1900, 1000, _starterApiCalls));
        var growth = await IdAsync(client, "/v1/plans", Plan("growth-" + suffix, "Growth", 9900, 50000, []));
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

    /// <summary>A portal session opened by an HTTP "browser": its url followed, the cookie kept.</summary>
    public async Task<PortalHttpClient> OpenPortalAsync(string secret, string customer)
    {
        var url = new Uri((await PortalSessionAsync(secret, customer)).GetProperty("url").GetString()!);
        var browser = new PortalHttpClient(ApiUrl);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await browser.GetAsync(url.PathAndQuery)).Response.StatusCode);
        return browser;
    }

    public async Task ReportUsageAsync(string secret, string customer, string metric, long quantity, DateTimeOffset? at = null)
    {
        using var client = Cluster.Client(secret);
        var eventId = "evt-" + Guid.NewGuid().ToString("N");
        object body = at is { } time
            ? new { event_id = eventId, customer, metric, quantity, timestamp = time.ToUnixTimeSeconds() }
            : new { event_id = eventId, customer, metric, quantity };
        var report = await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/usage_events", body));
        Assert.Equal(1, report.GetProperty("accepted").GetInt32());
    }

    /// <summary>
    /// A draft invoice of the customer's subscription for the month <paramref name="monthsBack"/> before its current period,
    /// made by the grain call the period roll-over makes, with <paramref name="apiCalls"/> reported an hour before the
    /// period's end (the meter takes events up to 35 days old, so usage fits only a month back).
    /// </summary>
    public async Task<InvoiceSnapshot> DraftInvoiceAsync(PortalScenario scenario, string customer, int monthsBack, long apiCalls = 0,
        string collectionMethod = CollectionMethods.SendInvoice)
    {
        using var client = Cluster.Client(scenario.Secret);
        var subscription = await ClusterFixture.Json(await client.GetAsync($"/v1/customers/{customer}/subscription"));
        var subscriptionId = subscription.GetProperty("id").GetString()!;
        var current = DateTimeOffset.FromUnixTimeSeconds(subscription.GetProperty("current_period_start").GetInt64());
        var (from, to) = (current.AddMonths(-monthsBack), current.AddMonths(1 - monthsBack));
        if (apiCalls > 0)
        {
            await ReportUsageAsync(scenario.Secret, customer, "api_calls", apiCalls, to.AddHours(-1));
        }
        return await Cluster.ClusterClient.GetGrain<IInvoiceGrain>(PlatformIds.InvoiceKey(scenario.TenantId, PlatformIds.InvoiceIdFor(scenario.TenantId, subscriptionId, from)))
            .CreateDraftAsync(new InvoiceDraft(customer, subscriptionId, subscription.GetProperty("plan").GetString()!, from, to, collectionMethod,
                collectionMethod == CollectionMethods.SendInvoice ? 30 : null));
    }

    /// <summary><see cref="DraftInvoiceAsync"/> finalized through the API (number, status open), as the tenant's backend could.</summary>
    public async Task<InvoiceSnapshot> InvoiceAsync(PortalScenario scenario, string customer, int monthsBack, long apiCalls = 0)
    {
        var draft = await DraftInvoiceAsync(scenario, customer, monthsBack, apiCalls);
        using var client = Cluster.Client(scenario.Secret);
        await ClusterFixture.Json(await client.PostAsync($"/v1/invoices/{draft.Id}/finalize", null));
        return (await Invoice(scenario.TenantId, draft.Id).GetAsync())!;
    }

    /// <summary>What the collection side reports when a payment of the whole invoice succeeded.</summary>
    public Task<InvoiceSnapshot> MarkPaidAsync(string tenantId, InvoiceSnapshot invoice) =>
        Invoice(tenantId, invoice.Id).RecordPaymentAttemptAsync(new InvoicePaymentAttempt("pi_portal_" + invoice.Id[3..], PaymentAttemptOutcomes.Succeeded,
            invoice.AmountRemaining, null, null, DateTimeOffset.UtcNow, null));

    private IInvoiceGrain Invoice(string tenantId, string invoiceId) =>
        Cluster.ClusterClient.GetGrain<IInvoiceGrain>(PlatformIds.InvoiceKey(tenantId, invoiceId));

    private static object Plan(string code, string name, long amount, long apiCalls, object[] usageCharges) => new
    {
        code,
        name,
        interval = "month",
        currency = "usd",
        amount,
        trial_days = 0,
        usage_charges = usageCharges,
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

using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Payments;
using Platform.Grains.Interfaces.Usage;
using Platform.Grains.Interfaces.Pci;
using Platform.Grains.Pci;
using Platform.Integration.Tests.Infrastructure;
using Platform.Silo.Hosting;

namespace Platform.Integration.Tests.Silo;

/// <summary>The PCI label at work on a cluster of a core silo and a pci silo, and on a cluster with no pci silo.</summary>
[Collection(PciClusterCollection.Name)]
public sealed class PciPlacementTests(PciClusterFixture fixture)
{
    private PlatformCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task EveryPciGrain_ActivatesOnlyOnThePciSilo()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);
        var customers = new List<string>();
        // Enough activations that random placement would have put some on the core silo.
        for (var i = 0; i < 8; i++)
        {
            var customer = await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/customers", new { name = $"P{i}" }));
            var customerId = customer.GetProperty("id").GetString()!;
            customers.Add(customerId);
            await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/setup_intents", new { customer = customerId }));
            await ClusterFixture.Json(await client.GetAsync("/v1/payment_methods/publishable_key"));
        }
        var attached = await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/payment_methods/pm_card_visa/attach", new { customer = customers[0] }));
        using var create = new HttpRequestMessage(HttpMethod.Post, "/v1/payment_intents")
        {
            Content = JsonContent.Create(new { customer = customers[0], amount = 100, currency = "usd", payment_method = attached.GetProperty("id").GetString(), confirm = true }),
        };
        create.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var payment = await ClusterFixture.Json(await client.SendAsync(create));
        await ClusterFixture.Json(await client.GetAsync("/v1/usage_events/dead_letters"));
        // An invoice's collection (InvoiceCollectionGrain): a replayed event of a PaymentIntent it does not own changes nothing.
        var collection = Cluster.ClusterClient.GetGrain<Platform.Grains.Interfaces.Invoices.IInvoiceCollectionGrain>(
            PlatformIds.InvoiceKey(tenant.Id, PlatformIds.InvoiceIdFor(tenant.Id, "sub_placement", DateTimeOffset.UnixEpoch)));
        Assert.Equal(Platform.Grains.Interfaces.StripeWebhooks.StripeEventOutcome.Ignored, await collection.ApplyStripeEventAsync(
            new Platform.Grains.Interfaces.StripeWebhooks.StripeEventData { Id = "evt_placement", Type = "payment_intent.succeeded", ObjectType = "payment_intent", ObjectId = "pi_none" }));
        // Checkout: the plan's Stripe price (PlanPricesGrain) and the session (StripeSubscriptionGrain).
        // Pro without its trial: a trial with usage charges is refused for Checkout (plan_not_expressible_at_stripe); its
        // usage charges make Billing Meters and metered prices (PlanPricesGrain) too.
        var plan = await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/plans", new
        {
            code = "placement", interval = "month", currency = "usd", amount = 4900,
            usage_charges = new object[]
            {
                new { metric = "api_calls", pricing_model = "graduated", tiers = new object[] { new { up_to = 100, unit_amount = 10 }, new { unit_amount = 2 } } },
                new { metric = "storage_gb", pricing_model = "package", package_size = 10, package_amount = 500 },
            },
        }));
        await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/checkout/sessions", new
        {
            customer = customers[1],
            plan = plan.GetProperty("id").GetString(),
            success_url = "https://example.com/done",
            cancel_url = "https://example.com/cancel",
        }));
        // A mirrored invoice's moves at Stripe (StripeInvoiceGrain): Stripe knows no such invoice, and says so.
        var stripeInvoices = Cluster.ClusterClient.GetGrain<Platform.Grains.Interfaces.Invoices.IStripeInvoiceGrain>(
            PlatformIds.InvoiceKey(tenant.Id, PlatformIds.MirroredInvoiceIdFor(tenant.Id, "in_none")));
        Assert.Equal(PlatformErrorKind.NotFound, (await Assert.ThrowsAsync<PlatformException>(() => stripeInvoices.VoidAsync("in_none", "placement"))).Kind);
        using var stripe = Cluster.Client();
        var webhook = await stripe.PostAsync("/v1/stripe/webhook", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, webhook.StatusCode); // refused by the StripeWebhookGrain: no signature

        var pci = PlatformCluster.AddressOf(Cluster.SiloWithRole(SiloRoles.Pci));
        var core = Cluster.SiloWithRole(SiloRoles.Core);
        var management = Cluster.ClusterClient.GetGrain<IManagementGrain>(0);
        foreach (var customerId in customers)
        {
            var methods = Cluster.ClusterClient.GetGrain<IPaymentMethodsGrain>(PlatformIds.CustomerKey(tenant.Id, customerId));
            Assert.Equal(pci, await management.GetActivationAddress(methods));
        }
        var paymentGrain = Cluster.ClusterClient.GetGrain<IPaymentIntentGrain>(PlatformIds.PaymentKey(tenant.Id, payment.GetProperty("id").GetString()!));
        Assert.Equal(pci, await management.GetActivationAddress(paymentGrain));
        Assert.Equal(pci, await management.GetActivationAddress(Cluster.ClusterClient.GetGrain<IStripeMeterGrain>(tenant.Id)));
        Assert.Equal(pci, await management.GetActivationAddress(collection));

        // Simple statistics, because they count stateless workers (PublishableKeyGrain) too.
        var statistics = (await management.GetSimpleGrainStatistics()).Where(s => s.ActivationCount > 0).ToList();
        Assert.NotEmpty(PciGrainClasses.Among(typeof(PciServiceCollectionExtensions).Assembly.GetTypes()));
        foreach (var grainClass in PciGrainClasses.Among(typeof(PciServiceCollectionExtensions).Assembly.GetTypes()))
        {
            var activations = statistics.Where(s => s.GrainType.StartsWith(grainClass.FullName!, StringComparison.Ordinal)).ToList();
            Assert.True(activations.Count > 0, $"{grainClass.Name} was never activated by this test");
            Assert.All(activations, a => Assert.Equal(pci, a.SiloAddress));
        }
        // Defence in depth on the core silo: it cannot host a PCI class and has no Stripe in its container.
        var coreClasses = core.Services.GetRequiredService<IOptions<GrainTypeOptions>>().Value.Classes;
        Assert.Empty(PciGrainClasses.Among(typeof(PciServiceCollectionExtensions).Assembly.GetTypes()).Intersect(coreClasses));
        Assert.Null(core.Services.GetService(typeof(Stripe.StripeClient)));
        Assert.NotNull(Cluster.SiloWithRole(SiloRoles.Pci).Services.GetService(typeof(Stripe.StripeClient)));
    }

    [Fact]
    public async Task WithoutAPciSilo_PciRoutesFailCleanlyAndCoreRoutesWork()
    {
        await using var cluster = await PlatformCluster.StartAsync(fixture.ConnectionString, silos: 1, apis: 1, siloRoles: [SiloRoles.Core],
            settings: PciClusterFixture.NoRateLimits());
        using var admin = cluster.AdminClient();
        var tenant = await ClusterFixture.Json(await admin.PostAsJsonAsync("/v1/tenants", new { name = "No PCI" }));
        var tenantId = tenant.GetProperty("id").GetString()!;
        var key = await ClusterFixture.Json(await admin.PostAsJsonAsync($"/v1/tenants/{tenantId}/api_keys", new { role = "admin" }));
        using var client = cluster.Client(key.GetProperty("secret").GetString());
        var customer = await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/customers", new { name = "Still works" }));
        var customerId = customer.GetProperty("id").GetString()!;

        var watch = Stopwatch.StartNew();
        var setup = await client.PostAsJsonAsync("/v1/setup_intents", new { customer = customerId });
        var publishable = await client.GetAsync("/v1/payment_methods/publishable_key");
        using var stripe = cluster.Client();
        using var delivery = new HttpRequestMessage(HttpMethod.Post, "/v1/stripe/webhook")
        {
            Content = new StringContent("{\"id\":\"evt_1\",\"object\":\"event\"}", System.Text.Encoding.UTF8, "application/json"),
        };
        delivery.Headers.TryAddWithoutValidation("Stripe-Signature", "t=1,v1=00");
        var webhook = await stripe.SendAsync(delivery);
        watch.Stop();

        // Stripe retries a 5xx for three days: without a pci silo the webhook says "later", never 500.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, webhook.StatusCode);
        Assert.Contains("\"code\":\"service_unavailable\"", await webhook.Content.ReadAsStringAsync());

        // No silo can host a PCI grain now: a 503 to retry later, never a 500 (bench/chaos.sh, pci silo kill).
        foreach (var response in new[] { setup, publishable })
        {
            Assert.True(response.StatusCode is HttpStatusCode.ServiceUnavailable,
                $"expected 503, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            Assert.NotNull(response.Headers.RetryAfter);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.DoesNotContain("   at ", await response.Content.ReadAsStringAsync());
        }
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"failing took {watch.Elapsed}");
    }
}

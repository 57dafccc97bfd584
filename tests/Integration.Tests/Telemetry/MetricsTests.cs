using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Platform.Api.Telemetry;
using Platform.Grains.Pci.Telemetry;
using Platform.Grains.Telemetry;
using Platform.Integration.Tests.Infrastructure;

namespace Platform.Integration.Tests.Telemetry;

/// <summary>
/// Scrape, act, scrape again: each meter the platform defines must move on /metrics. Meters are matched
/// by name process-wide and other collections run clusters in this process too, so the checks are
/// "grew by at least", never exact.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class MetricsTests(ClusterFixture fixture)
{
    private PlatformCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task ApiMetrics_AnonymousAndMoveWithAuthFailuresAndRequests()
    {
        var api = Cluster.ApiUrls[0];
        var before = await PrometheusScrape.TakeAsync(api);

        using (var anonymous = Cluster.Client())
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/v1/customers")).StatusCode);
        }
        using (var wrong = Cluster.Client("sk_AAAAAAAAAAAAAAAAAAAA_nope"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/v1/customers")).StatusCode);
        }
        var reader = await fixture.CreateTenantAsync("read");
        using (var readOnly = Cluster.Client(reader.Secret))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await readOnly.PostAsJsonAsync("/v1/customers", new { name = "x" })).StatusCode);
        }
        // Features that refuse at the door (rate limits, the PAN guard) call these; prove they are exported.
        var metrics = Cluster.Apis[0].Services.GetRequiredService<ApiMetrics>();
        metrics.RateLimitRejected("tenant_requests");
        metrics.PanRejected("/v1/customers");

        var after = await PrometheusScrape.TakeAsync(api);
        Grew(before, after, "platform_api_auth_failures_total", 1, "code=\"authentication_required\"");
        Grew(before, after, "platform_api_auth_failures_total", 1, "code=\"invalid_api_key\"", "scheme=\"tenant_key\"");
        Grew(before, after, "platform_api_auth_failures_total", 1, "code=\"insufficient_permissions\"");
        Grew(before, after, "platform_api_rate_limit_rejections_total", 1, "policy=\"tenant_requests\"");
        Grew(before, after, "platform_api_pan_rejections_total", 1, "route=\"/v1/customers\"");
        Grew(before, after, "http_server_request_duration_seconds_count", 3);
        Assert.Contains("# TYPE ", after.Text);
    }

    [Fact]
    public async Task SiloMetrics_MoveWithBillingActions()
    {
        var before = await ScrapeSilosAsync();

        // Wired today: tenants, keys and customers are counted by their grains.
        var tenant = await fixture.CreateTenantAsync();
        using (var client = Cluster.Client(tenant.Secret))
        {
            await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/customers", new { name = "Metered" }));
        }
        using (var admin = Cluster.AdminClient())
        {
            await ClusterFixture.Json(await admin.DeleteAsync($"/v1/tenants/{tenant.Id}/api_keys/{tenant.KeyId}"));
        }
        // Not wired yet (their features land separately): the methods those features call must reach /metrics.
        foreach (var silo in Cluster.Silos)
        {
            var billing = silo.Services.GetRequiredService<BillingMetrics>();
            billing.UsageEventsRecorded(accepted: 3, duplicate: 1, rejected: 1);
            billing.WebhookEventHandled("invoice.paid", "applied");
            billing.PanRejected("usage_properties");
            billing.RateLimitRejected("customer_usage");
            billing.PaymentStatusReached("succeeded", "eur");
            billing.AuditChainVerified(intact: false);
            // The PCI side's instruments, on the same meter, exist on pci silos only.
            if (silo.Services.GetService<PciMetrics>() is { } pci)
            {
                pci.StripeCallCompleted("POST /v1/payment_intents", 200, TimeSpan.FromMilliseconds(120));
                pci.WebhookEventHandled("unverified", "signature_invalid");
            }
        }

        var after = await ScrapeSilosAsync();
        GrewOnSomeSilo(before, after, "platform_billing_tenants_created_total", 1);
        GrewOnSomeSilo(before, after, "platform_billing_customers_created_total", 1);
        GrewOnSomeSilo(before, after, "platform_billing_api_keys_total", 1, "action=\"issued\"", "role=\"admin\"");
        GrewOnSomeSilo(before, after, "platform_billing_api_keys_total", 1, "action=\"revoked\"");
        GrewOnSomeSilo(before, after, "platform_billing_usage_events_total", 3, "outcome=\"accepted\"");
        GrewOnSomeSilo(before, after, "platform_billing_usage_events_total", 1, "outcome=\"duplicate\"");
        GrewOnSomeSilo(before, after, "platform_billing_usage_events_total", 1, "outcome=\"rejected\"");
        GrewOnSomeSilo(before, after, "platform_billing_webhook_events_total", 1, "type=\"invoice.paid\"", "outcome=\"applied\"");
        GrewOnSomeSilo(before, after, "platform_billing_webhook_events_total", 1, "type=\"unverified\"", "outcome=\"signature_invalid\"");
        GrewOnSomeSilo(before, after, "platform_billing_stripe_calls_total", 1, "endpoint=\"POST /v1/payment_intents\"", "status=\"200\"");
        GrewOnSomeSilo(before, after, "platform_billing_stripe_call_duration_seconds_count", 1);
        GrewOnSomeSilo(before, after, "platform_billing_pan_rejections_total", 1);
        GrewOnSomeSilo(before, after, "platform_billing_rate_limit_rejections_total", 1);
        GrewOnSomeSilo(before, after, "platform_billing_payments_total", 1, "status=\"succeeded\"");
        GrewOnSomeSilo(before, after, "platform_billing_audit_verifications_total", 1, "outcome=\"broken\"");
        // Orleans' own meter is exported too.
        Assert.Contains(after, scrape => scrape.Text.Contains("orleans_", StringComparison.Ordinal));
    }

    private async Task<List<PrometheusScrape>> ScrapeSilosAsync()
    {
        var scrapes = new List<PrometheusScrape>();
        foreach (var silo in Cluster.Silos)
        {
            scrapes.Add(await PrometheusScrape.TakeAsync(PlatformCluster.HttpAddress(silo)));
        }
        return scrapes;
    }

    private static void Grew(PrometheusScrape before, PrometheusScrape after, string metric, double atLeast, params string[] labels)
    {
        var delta = after.Sum(metric, labels) - before.Sum(metric, labels);
        Assert.True(delta >= atLeast, $"{metric}{{{string.Join(",", labels)}}} grew by {delta}, expected at least {atLeast}.");
    }

    private static void GrewOnSomeSilo(List<PrometheusScrape> before, List<PrometheusScrape> after, string metric, double atLeast, params string[] labels)
    {
        var deltas = before.Zip(after, (b, a) => a.Sum(metric, labels) - b.Sum(metric, labels)).ToList();
        Assert.True(deltas.Any(d => d >= atLeast),
            $"{metric}{{{string.Join(",", labels)}}} grew by [{string.Join(", ", deltas)}] on the silos, expected at least {atLeast} on one.");
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Integration.Tests.Infrastructure;
using Platform.Silo.Database;

namespace Platform.Integration.Tests.DataProtection;

/// <summary>GET /v1/compliance/report against a cluster split as in production, and against one with a misplaced secret and no pci silo.</summary>
[Collection(DataProtectionCollection.Name)]
public sealed class ComplianceReportTests(DataProtectionClusterFixture fixture)
{
    [Fact]
    public async Task Report_OnACoreAndAPciSilo_PassesTheClusterControlsWithEvidence()
    {
        // A PCI grain active on the pci silo, for the placement check to count.
        var (_, tenant) = await fixture.TenantAsync();
        using var _ = tenant;
        var customerId = (await ClusterFixture.Json(await tenant.PostAsJsonAsync("/v1/customers", new { name = "Report" }))).GetProperty("id").GetString()!;
        await ClusterFixture.Json(await tenant.PostAsJsonAsync("/v1/payment_methods/pm_card_visa/attach", new { customer = customerId }));

        using var admin = fixture.Cluster.AdminClient();
        var report = await ClusterFixture.Json(await admin.GetAsync("/v1/compliance/report"));
        Assert.Equal("compliance_report", report.GetProperty("object").GetString());
        var checks = Checks(report);

        foreach (var id in new[] { "pci_silos_present", "pci_grains_only_on_pci_silos", "stripe_secrets_only_on_pci_silos", "stripe_webhook_secret",
                     "data_key", "audit_chain", "no_pan_in_storage", "retention", "log_redaction", "rate_limits" })
        {
            Assert.True(checks[id].Status == "pass", $"{id}: {checks[id].Status}: {checks[id].Evidence}");
        }
        var silos = report.GetProperty("silos").EnumerateArray().ToList();
        Assert.Equal(2, silos.Count);
        var core = Assert.Single(silos, s => s.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).SequenceEqual(["core"]));
        Assert.False(core.GetProperty("stripe_secret_key").GetBoolean());
        Assert.Empty(core.GetProperty("pci_grain_classes").EnumerateArray());
        var pci = Assert.Single(silos, s => s.GetProperty("roles").EnumerateArray().Any(r => r.GetString() == "pci"));
        Assert.Contains("PaymentIntentGrain", pci.GetProperty("pci_grain_classes").EnumerateArray().Select(c => c.GetString()));
        Assert.True(pci.GetProperty("pci_activations").GetInt32() >= 1, pci.GetRawText());
        Assert.Equal(0, core.GetProperty("pci_activations").GetInt32());
        Assert.Equal("test", pci.GetProperty("stripe_key_mode").GetString());
        // The key mode is judged against the environment the silos run in (tests run as Production: a test key there fails).
        var environment = pci.GetProperty("environment").GetString();
        Assert.Equal(environment == "Production" ? "fail" : "pass", checks["stripe_key_mode"].Status);
        Assert.Contains("key mode test", checks["stripe_key_mode"].Evidence, StringComparison.Ordinal);
        // Secrets never appear, only their presence.
        Assert.DoesNotContain(PciClusterFixture.StripeSecretKey, report.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(DataProtectionClusterFixture.WebhookSecret, report.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Cluster.DataKey, report.GetRawText(), StringComparison.Ordinal);

        // Platform admin only.
        Assert.Equal(HttpStatusCode.Forbidden, (await tenant.GetAsync("/v1/compliance/report")).StatusCode);
    }

    [Fact]
    public async Task Report_WithAMisplacedStripeSecretNoPciSiloAndAPanInARow_FailsThoseChecks()
    {
        var connectionString = await (await SharedPostgres.GetAsync()).CreateDatabaseAsync("compliance");
        await new DatabaseMigrator(connectionString, NullLogger.Instance).MigrateAsync();
        await using var cluster = await PlatformCluster.StartAsync(connectionString, silos: 1, siloRoles: ["core"],
            settings: PciClusterFixture.NoRateLimits(),
            // Deliberately misplaced: a core silo given the Stripe secret.
            siloSettings: [new() { ["Stripe:SecretKey"] = "sk_test_misplaced_on_core" }]);
        await using (var dataSource = Npgsql.NpgsqlDataSource.Create(connectionString))
        await using (var insert = dataSource.CreateCommand(
            "INSERT INTO usage_events (tenant_id, event_id, customer_id, metric, quantity, ts, properties) VALUES ('ten_x', 'e1', 'cus_x', 'm', 1, now(), '{\"note\": \"card 4242 4242 4242 4242\"}')"))
        {
            await insert.ExecuteNonQueryAsync();
        }

        using var admin = cluster.AdminClient();
        var report = await ClusterFixture.Json(await admin.GetAsync("/v1/compliance/report"));
        var checks = Checks(report);

        Assert.Equal("fail", report.GetProperty("status").GetString());
        Assert.Equal("fail", checks["pci_silos_present"].Status);
        Assert.Equal("fail", checks["stripe_secrets_only_on_pci_silos"].Status);
        var silo = Assert.Single(report.GetProperty("silos").EnumerateArray()).GetProperty("silo").GetString()!;
        Assert.Contains(silo, checks["stripe_secrets_only_on_pci_silos"].Evidence, StringComparison.Ordinal);
        Assert.Equal("fail", checks["no_pan_in_storage"].Status);
        Assert.Contains("usage_events: 1 rows", checks["no_pan_in_storage"].Evidence, StringComparison.Ordinal);
        Assert.DoesNotContain("4242", report.GetRawText(), StringComparison.Ordinal);
        // What is still right stays right.
        Assert.Equal("pass", checks["pci_grains_only_on_pci_silos"].Status);
        Assert.Equal("pass", checks["audit_chain"].Status);
    }

    private static Dictionary<string, (string Status, string Evidence)> Checks(JsonElement report) =>
        report.GetProperty("checks").EnumerateArray().ToDictionary(
            c => c.GetProperty("id").GetString()!,
            c => (c.GetProperty("status").GetString()!, c.GetProperty("evidence").GetString()!));
}

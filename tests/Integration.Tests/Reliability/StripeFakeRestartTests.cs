using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Integration.Tests.Infrastructure;
using Platform.Silo.Database;
using Platform.StripeFake;

namespace Platform.Integration.Tests.Reliability;

/// <summary>
/// Local runs keep their state (issue 22): <c>./run.sh</c> gives the Stripe fake a state file under <c>.data/</c>, so
/// after the fake restarts a customer's saved card still pays, instead of the platform answering 404 for a
/// Stripe customer the fake forgot.
/// </summary>
public sealed class StripeFakeRestartTests
{
    [Fact]
    public async Task StripeFakeRestarted_FromItsStateFile_TheCustomersSavedCardStillPays()
    {
        var directory = Directory.CreateTempSubdirectory("stripe-fake-");
        var listenUrl = $"http://127.0.0.1:{FreePorts.Next()}";
        StripeFakeOptions Options() => new()
        {
            ApiKey = PciClusterFixture.StripeSecretKey,
            WebhookSecret = PciClusterFixture.WebhookSecret,
            ListenUrl = listenUrl,
            StateFile = Path.Combine(directory.FullName, "state.json"),
        };
        var stripe = await StripeFakeServer.StartAsync(Options());
        try
        {
            var database = await (await SharedPostgres.GetAsync()).CreateDatabaseAsync("fakerestart");
            await new DatabaseMigrator(database, NullLogger.Instance).MigrateAsync();
            await using var cluster = await PlatformCluster.StartAsync(database, silos: 2, apis: 1, siloRoles: ["core", "pci"],
                settings: new Dictionary<string, string?>(PciClusterFixture.NoRateLimits()) { ["Usage:ForwardingEnabled"] = "false" },
                siloSettings: [null, PciClusterFixture.StripeSettings(stripe.BaseUrl)]);
            using var admin = cluster.AdminClient();
            var tenantId = (await ClusterFixture.Json(await admin.PostAsJsonAsync("/v1/tenants", new { name = "Fake restart" }))).GetProperty("id").GetString()!;
            var secret = (await ClusterFixture.Json(await admin.PostAsJsonAsync($"/v1/tenants/{tenantId}/api_keys", new { role = "admin" })))
                .GetProperty("secret").GetString()!;
            using var client = cluster.Client(secret);
            var customer = (await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/customers", new { name = "Saved card" }))).GetProperty("id").GetString()!;
            var card = (await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/payment_methods/pm_card_visa/attach", new { customer })))
                .GetProperty("id").GetString()!;
            var before = await PayAsync(client, customer, card, "before-restart");

            await stripe.DisposeAsync();
            stripe = await StripeFakeServer.StartAsync(Options());
            var after = await PayAsync(client, customer, card, "after-restart");
            var methods = await ClusterFixture.Json(await client.GetAsync($"/v1/customers/{customer}/payment_methods"));

            Assert.Equal("succeeded", before.GetProperty("status").GetString());
            Assert.Equal("succeeded", after.GetProperty("status").GetString());
            Assert.Equal(card, after.GetProperty("payment_method").GetString());
            Assert.Equal([card], methods.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
            // The restarted fake holds both payments, on the one Stripe customer made before the restart.
            var intents = stripe.State.List("payment_intent").Where(p => (string?)p["metadata"]?["tenant_id"] == tenantId).ToList();
            Assert.Equal(2, intents.Count);
            Assert.Single(intents.Select(p => (string?)p["customer"]).Distinct());
        }
        finally
        {
            await stripe.DisposeAsync();
            directory.Delete(recursive: true);
        }
    }

    private static async Task<JsonElement> PayAsync(HttpClient client, string customer, string card, string order)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/payment_intents")
        {
            Content = JsonContent.Create(new { customer, amount = 1800, currency = "usd", payment_method = card, confirm = true }),
        };
        request.Headers.Add("Idempotency-Key", $"{order}-{customer}");
        return await ClusterFixture.Json(await client.SendAsync(request));
    }
}

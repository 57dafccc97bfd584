using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Platform.Grains.Pci.Outbound;
using Platform.Integration.Tests.Infrastructure;
using Platform.Silo.Database;
using Platform.StripeFake;

namespace Platform.Integration.Tests.Reliability;

/// <summary>
/// Stripe creates the payment, and then the database goes away before the pci silo stores Stripe's answer.
/// The request must not be acknowledged, and the client's retry (same Idempotency-Key) must be answered only
/// once the payment is stored: the grain may not answer it from what it holds in memory, and Stripe is asked
/// again with the same idempotency key, so no second payment is made.
/// </summary>
public sealed class PaymentWriteFailureTests
{
    [Fact]
    public async Task DatabaseLostAfterStripeAnswered_RetryIsAnsweredOnlyOnceStored_AndChargesOnce()
    {
        await using var stripe = await StripeFakeServer.StartAsync(new StripeFakeOptions
        {
            ApiKey = PciClusterFixture.StripeSecretKey,
            WebhookSecret = PciClusterFixture.WebhookSecret,
        });
        var direct = await (await SharedPostgres.GetAsync()).CreateDatabaseAsync("paywrite");
        await new DatabaseMigrator(direct, NullLogger.Instance).MigrateAsync();
        await using var proxy = new TcpCutProxy(new IPEndPoint(IPAddress.Loopback, new NpgsqlConnectionStringBuilder(direct).Port));
        var throughProxy = new NpgsqlConnectionStringBuilder(direct) { Port = proxy.Port, Timeout = 3, CommandTimeout = 5 }.ConnectionString;
        await using var cluster = await PlatformCluster.StartAsync(throughProxy, silos: 2, apis: 1, siloRoles: ["core", "pci"],
            settings: new Dictionary<string, string?>(PciClusterFixture.NoRateLimits()) { ["Usage:ForwardingEnabled"] = "false" },
            siloSettings: [null, PciClusterFixture.StripeSettings(stripe.BaseUrl)]);

        using var admin = cluster.AdminClient();
        var tenantId = (await ClusterFixture.Json(await admin.PostAsJsonAsync("/v1/tenants", new { name = "Write failure" }))).GetProperty("id").GetString()!;
        var secret = (await ClusterFixture.Json(await admin.PostAsJsonAsync($"/v1/tenants/{tenantId}/api_keys", new { role = "admin" })))
            .GetProperty("secret").GetString()!;
        using var client = cluster.Client(secret);
        var customerId = (await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/customers", new { name = "Payer" }))).GetProperty("id").GetString()!;
        var visa = (await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/payment_methods/pm_card_visa/attach", new { customer = customerId })))
            .GetProperty("id").GetString()!;
        var body = new { customer = customerId, amount = 2500, currency = "usd", payment_method = visa, confirm = true };
        var idempotencyKey = "test-" + Guid.NewGuid().ToString("N");
        // Stripe commits the payment and holds its answer back; the database is cut in that window.
        stripe.Faults.DelayResponseAfterCommit("/v1/payment_intents", TimeSpan.FromMilliseconds(1500), method: "POST");

        var first = Post(client, body, idempotencyKey);
        await Until(() => IntentsOf(stripe, tenantId).Count == 1, "Stripe never received the payment");
        proxy.Cut();
        using (var refused = await first)
        {
            Assert.False(refused.IsSuccessStatusCode, $"acknowledged although the payment could not be stored: {(int)refused.StatusCode}");
        }
        proxy.Restore();

        HttpResponseMessage retried;
        var clock = Stopwatch.StartNew();
        while (!(retried = await Post(client, body, idempotencyKey)).IsSuccessStatusCode)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"the retry never succeeded: {(int)retried.StatusCode}");
            retried.Dispose();
            await Task.Delay(250);
        }
        var payment = await ClusterFixture.Json(retried);
        retried.Dispose();

        var stripeId = payment.GetProperty("stripe_id").GetString()!;
        var intent = Assert.Single(IntentsOf(stripe, tenantId));
        Assert.Equal(stripeId, (string?)intent["id"]);
        var stripeKey = StripeIdempotencyKeys.For("payment_intent", tenantId, payment.GetProperty("id").GetString()!);
        Assert.Equal(1, stripe.State.CountPaymentIntentsCreated(stripeKey));
        // What was acknowledged is stored: the payment's record in PostgreSQL holds Stripe's id.
        await using var data = NpgsqlDataSource.Create(direct);
        await using var stored = data.CreateCommand(
            "SELECT count(*) FROM orleansstorage WHERE position($1 in convert_from(coalesce(payloadbinary, ''::bytea), 'UTF8')) > 0");
        stored.Parameters.AddWithValue(stripeId);
        Assert.True((long)(await stored.ExecuteScalarAsync())! >= 1, "the acknowledged payment is not stored");
    }

    private static List<System.Text.Json.Nodes.JsonObject> IntentsOf(StripeFakeServer stripe, string tenantId) =>
        stripe.State.List("payment_intent").Where(p => (string?)p["metadata"]?["tenant_id"] == tenantId).ToList();

    private static async Task<HttpResponseMessage> Post(HttpClient client, object body, string idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/payment_intents") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await client.SendAsync(request);
    }

    private static async Task Until(Func<bool> done, string failure)
    {
        var clock = Stopwatch.StartNew();
        while (!done())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), failure);
            await Task.Delay(20);
        }
    }
}

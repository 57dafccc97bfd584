using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Platform.Grains.Interfaces.Common;
using Platform.Integration.Tests.DataProtection;
using Platform.Integration.Tests.Infrastructure;
using Platform.Silo.Database;
using Platform.StripeFake;
using StripeConfiguration = Stripe.StripeConfiguration;
using Xunit.Abstractions;

namespace Platform.Integration.Tests.Reliability;

/// <summary>
/// The backup procedure of docs/OPERATIONS.md, proven: pg_dump of a running platform (core and pci silos,
/// the Stripe fake) while usage events and payments keep arriving, pg_restore into a fresh database, a new
/// cluster on the restore. Every write acknowledged before the dump started is there, the live usage
/// aggregates equal SQL over the restored log, the audit chain verifies, an erased customer stays erased,
/// and a Stripe webhook event recorded before the dump is still refused as a duplicate.
/// </summary>
public sealed class BackupRestoreTests(ITestOutputHelper output)
{
    private const string Metric = "api_calls";

    [Fact]
    public async Task Dump_UnderUsageAndPaymentLoad_RestoresIntoAClusterThatKeepsEveryAcknowledgedWrite()
    {
        var total = Stopwatch.StartNew();
        var server = await SharedPostgres.GetAsync();
        await using var stripe = await StripeFakeServer.StartAsync(new StripeFakeOptions
        {
            ApiKey = PciClusterFixture.StripeSecretKey, WebhookSecret = PciClusterFixture.WebhookSecret,
        });
        var source = await server.CreateDatabaseAsync("backup_src");
        await new DatabaseMigrator(source, NullLogger.Instance).MigrateAsync();
        var live = await StartClusterAsync(source, stripe, restoredFrom: null);
        string serviceId = live.ClusterId, dataKey = live.DataKey;

        // Before the load: a tenant, customers with a card, one customer erased, one Stripe event recorded.
        var (tenantId, secret) = await TenantAsync(live);
        using var client = live.Client(secret);
        var customers = new List<string>();
        var cards = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var id = (await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/customers", new { name = $"Backup {i}" }))).GetProperty("id").GetString()!;
            var card = await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/payment_methods/pm_card_visa/attach", new { customer = id }));
            cards.Add(card.GetProperty("id").GetString()!);
            customers.Add(id);
        }
        var erasedEmail = $"erased-{UniqueText.Letters()}@example.com";
        var erasedName = "Erased " + Guid.NewGuid().ToString("N")[..10];
        var erased = (await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/customers", new { name = erasedName, email = erasedEmail }))).GetProperty("id").GetString()!;
        await ClusterFixture.Json(await client.PostAsJsonAsync("/v1/usage_events", new { event_id = "erased-1", customer = erased, metric = Metric, quantity = 2 }));
        Assert.Equal("completed", (await ClusterFixture.Json(await client.PostAsync($"/v1/customers/{erased}/erase", null))).GetProperty("status").GetString());
        var stripeEvent = StripeEvent();
        var receipt = await ClusterFixture.Json(await PostWebhookAsync(live, stripeEvent));
        Assert.False(receipt.GetProperty("duplicate").GetBoolean());

        // Load: usage from four writers and payments from one, acknowledged writes timestamped.
        var usage = new ConcurrentBag<(string EventId, string Customer, int Quantity, long AckedAt)>();
        var payments = new ConcurrentBag<(string Id, long Amount, long AckedAt)>();
        var paymentRefusals = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            using var writer = live.Client(secret);
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var (eventId, customer, quantity) = ($"w{w}-{n}", customers[n % customers.Count], 1 + (n % 5));
                var response = await writer.PostAsJsonAsync("/v1/usage_events", new { event_id = eventId, customer, metric = Metric, quantity });
                if (response.IsSuccessStatusCode)
                {
                    usage.Add((eventId, customer, quantity, Stopwatch.GetTimestamp()));
                }
            }
        })).Append(Task.Run(async () =>
        {
            using var payer = live.Client(secret);
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var amount = 100 + n;
                using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/payment_intents")
                {
                    Content = JsonContent.Create(new { customer = customers[n % customers.Count], amount, currency = "usd", payment_method = cards[n % cards.Count], confirm = true }),
                };
                request.Headers.Add("Idempotency-Key", "backup-" + Guid.NewGuid().ToString("N"));
                var response = await payer.SendAsync(request);
                if (response.IsSuccessStatusCode)
                {
                    var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
                    payments.Add((id, amount, Stopwatch.GetTimestamp()));
                }
                else
                {
                    paymentRefusals.Add($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            }
        })).ToList();

        await Task.Delay(TimeSpan.FromSeconds(3));
        var file = Path.Combine(Path.GetTempPath(), $"platform-{Guid.NewGuid():N}.dump");
        var dumpStarted = Stopwatch.GetTimestamp();
        var dumpTimer = Stopwatch.StartNew();
        await PgTools.DumpAsync(source, file);
        dumpTimer.Stop();
        await Task.Delay(TimeSpan.FromSeconds(1));
        stop.Cancel();
        await Task.WhenAll(writers);
        await live.DisposeAsync();

        var usageBefore = usage.Where(u => u.AckedAt < dumpStarted).ToList();
        var paymentsBefore = payments.Where(p => p.AckedAt < dumpStarted).ToList();
        Assert.True(usageBefore.Count > 20 && paymentsBefore.Count > 2,
            $"too little load before the dump: {usageBefore.Count} usage events, {paymentsBefore.Count} payments; refused: {paymentRefusals.FirstOrDefault()}");
        Assert.True(usage.Count > usageBefore.Count, "the load went on during the dump");

        // Restore into a fresh database and start a new cluster on it (same service id and data key).
        var restoreTimer = Stopwatch.StartNew();
        var restored = await server.CreateDatabaseAsync("backup_dst");
        await PgTools.RestoreAsync(file, restored);
        await new DatabaseMigrator(restored, NullLogger.Instance).MigrateAsync();
        restoreTimer.Stop();
        File.Delete(file);
        await using var again = await StartClusterAsync(restored, stripe, restoredFrom: (serviceId, dataKey));
        using var after = again.Client(secret);

        // Every acknowledged usage event and payment from before the dump is there.
        var logged = await SqlAsync(restored, "SELECT event_id FROM usage_events WHERE tenant_id = @t", tenantId, r => r.GetString(0));
        Assert.Empty(usageBefore.Select(u => u.EventId).Except(logged));
        foreach (var (id, amount, _) in paymentsBefore)
        {
            var payment = await ClusterFixture.Json(await after.GetAsync($"/v1/payment_intents/{id}"));
            Assert.Equal(amount, payment.GetProperty("amount").GetInt64());
        }

        // The live aggregates (rebuilt from the log on activation) equal SQL over the restored log.
        foreach (var customer in customers)
        {
            var reply = await ClusterFixture.Json(await after.GetAsync($"/v1/customers/{customer}/usage?metric={Metric}"));
            var calls = reply.GetProperty("data").EnumerateArray().Single();
            var (from, to) = (reply.GetProperty("from").GetInt64(), reply.GetProperty("to").GetInt64());
            var sql = (await SqlAsync(restored,
                "SELECT coalesce(sum(quantity), 0), count(*) FROM usage_events WHERE tenant_id = @t AND customer_id = @c AND metric = @m AND ts >= to_timestamp(@f) AND ts < to_timestamp(@u)",
                tenantId, r => (r.GetDecimal(0), r.GetInt64(1)), ("c", customer), ("m", Metric), ("f", from), ("u", to))).Single();
            Assert.Equal(sql, (calls.GetProperty("sum").GetDecimal(), calls.GetProperty("count").GetInt64()));
            var acknowledged = usageBefore.Where(u => u.Customer == customer).Sum(u => u.Quantity);
            Assert.True(sql.Item1 >= acknowledged, $"{customer}: restored sum {sql.Item1} below the {acknowledged} acknowledged before the dump");
        }

        // The audit chain verifies; the erased customer stays erased; the webhook dedup still refuses the old event.
        var verify = await ClusterFixture.Json(await after.GetAsync("/v1/audit_events/verify"));
        Assert.True(verify.GetProperty("intact").GetBoolean(), verify.ToString());
        Assert.Equal("erased", (await ClusterFixture.Json(await after.GetAsync($"/v1/customers/{erased}"))).GetProperty("status").GetString());
        Assert.Empty(await DatabaseScan.FindAsync(restored, [erasedEmail, erasedName]));
        Assert.True((await ClusterFixture.Json(await PostWebhookAsync(again, stripeEvent))).GetProperty("duplicate").GetBoolean());

        output.WriteLine($"acknowledged before the dump: {usageBefore.Count} usage events, {paymentsBefore.Count} payments; " +
            $"during and after it: {usage.Count - usageBefore.Count} and {payments.Count - paymentsBefore.Count}; " +
            $"pg_dump {dumpTimer.Elapsed.TotalSeconds:F1} s, pg_restore + migrate {restoreTimer.Elapsed.TotalSeconds:F1} s, test {total.Elapsed.TotalSeconds:F0} s");
    }

    private static Task<PlatformCluster> StartClusterAsync(string connectionString, StripeFakeServer stripe, (string ServiceId, string DataKey)? restoredFrom)
    {
        var settings = new Dictionary<string, string?>(PciClusterFixture.NoRateLimits())
        {
            ["Usage:ForwardingInterval"] = "00:00:00.200",
            ["Usage:ForwardingGrace"] = "00:00:00.500",
        };
        if (restoredFrom is { } from)
        {
            // Grain state is keyed by the service id, encrypted fields by the data key: a restore keeps both.
            settings["Orleans:ServiceId"] = from.ServiceId;
            settings["Platform:DataKey"] = from.DataKey;
        }
        return PlatformCluster.StartAsync(connectionString, silos: 2, apis: 1, siloRoles: ["core", "pci"], settings: settings,
            siloSettings: [null, PciClusterFixture.StripeSettings(stripe.BaseUrl)]);
    }

    private static async Task<(string TenantId, string Secret)> TenantAsync(PlatformCluster cluster)
    {
        using var admin = cluster.AdminClient();
        var tenant = await ClusterFixture.Json(await admin.PostAsJsonAsync("/v1/tenants", new { name = "Backup" }));
        var tenantId = tenant.GetProperty("id").GetString()!;
        var key = await ClusterFixture.Json(await admin.PostAsJsonAsync($"/v1/tenants/{tenantId}/api_keys", new { role = "admin" }));
        return (tenantId, key.GetProperty("secret").GetString()!);
    }

    private static async Task<List<T>> SqlAsync<T>(string connectionString, string sql, string tenantId, Func<NpgsqlDataReader, T> read,
        params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("t", tenantId);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }
        return rows;
    }

    /// <summary>An event type the platform records and ignores: what matters here is its id in the dedup table.</summary>
    private static string StripeEvent() => new JsonObject
    {
        ["id"] = "evt_" + PlatformIds.RandomToken(24),
        ["object"] = "event",
        ["api_version"] = StripeConfiguration.ApiVersion,
        ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["livemode"] = false,
        ["pending_webhooks"] = 1,
        ["type"] = "radar.early_fraud_warning.created",
        ["data"] = new JsonObject { ["object"] = new JsonObject { ["id"] = "issfr_backup", ["object"] = "radar.early_fraud_warning" } },
    }.ToJsonString();

    /// <summary>Signed as Stripe signs: t=&lt;unix&gt;,v1=hex(HMAC-SHA256(secret, "t.body")), with a fresh timestamp.</summary>
    private static async Task<HttpResponseMessage> PostWebhookAsync(PlatformCluster cluster, string body)
    {
        var t = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var mac = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(PciClusterFixture.WebhookSecret), Encoding.UTF8.GetBytes($"{t}.{body}")));
        using var anonymous = cluster.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/stripe/webhook") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Stripe-Signature", $"t={t},v1={mac}");
        var response = await anonymous.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }
}

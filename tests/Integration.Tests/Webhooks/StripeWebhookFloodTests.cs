using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Grains.Interfaces.Audit;
using Platform.Grains.Interfaces.Common;
using Platform.Integration.Tests.Infrastructure;
using Platform.Silo.Database;

namespace Platform.Integration.Tests.Webhooks;

/// <summary>
/// Issue 25 item 4: a flood of unsigned and badly signed posts to the Stripe webhook route is limited per
/// address and audited once per address, and never spends the platform-wide budget that Stripe's genuine
/// events need. Its own cluster: small limits. Host 0 is reached directly (the flood from 127.0.0.1); host 1
/// trusts X-Forwarded-For from loopback (the test is the ingress), so other addresses can post through it.
/// </summary>
public sealed class StripeWebhookFloodTests : IAsyncLifetime
{
    private const string WebhookSecret = "whsec_flood_test_secret";
    private const int Budget = 5;
    private const int RefusalsPerAddress = 10;
    private const int BehindProxy = 1;
    private const string StripeAddress = "3.18.12.63";

    private PlatformCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var connectionString = await (await SharedPostgres.GetAsync()).CreateDatabaseAsync("webhook_flood");
        await new DatabaseMigrator(connectionString, NullLogger.Instance).MigrateAsync();
        _cluster = await PlatformCluster.StartAsync(connectionString, silos: 1, apis: 1,
            settings: new()
            {
                ["RateLimits:Webhook:PermitLimit"] = Budget.ToString(CultureInfo.InvariantCulture),
                ["RateLimits:Webhook:WindowSeconds"] = "3600",
                ["RateLimits:WebhookRefusals:PermitLimit"] = RefusalsPerAddress.ToString(CultureInfo.InvariantCulture),
                ["RateLimits:WebhookRefusals:WindowSeconds"] = "3600",
            },
            siloSettings: [new() { ["Stripe:WebhookSecret"] = WebhookSecret }]);
        await _cluster.StartApiAsync(builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Platform:TrustForwardedHeaders"] = "true",
            ["Platform:ForwardedHeaders:KnownNetworks"] = "127.0.0.0/8",
        }));
        await _cluster.WaitForPciGrainsAsync();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Flood_OfUnsignedPosts_IsLimitedPerAddress_AuditedOncePerAddress_AndGenuineEventsStillPass()
    {
        var unsigned = new List<HttpStatusCode>();
        var badlySigned = new List<HttpStatusCode>();
        // 200 posts nobody signed from this address (direct), 200 signed with a wrong secret from another (through the proxy).
        await Parallel.ForEachAsync(Enumerable.Range(0, 200), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var status = await PostAsync(0, Event(), signature: i % 2 == 0 ? null : "t=1,v1=nothing", forwardedFor: null);
            lock (unsigned)
            {
                unsigned.Add(status);
            }
        });
        await Parallel.ForEachAsync(Enumerable.Range(0, 200), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var body = Event();
            var status = await PostAsync(BehindProxy, body, Sign(body, "whsec_not_ours"), forwardedFor: "203.0.113.66");
            lock (badlySigned)
            {
                badlySigned.Add(status);
            }
        });

        var genuine = new List<HttpStatusCode>();
        for (var i = 0; i < Budget; i++)
        {
            var body = Event();
            genuine.Add(await PostAsync(BehindProxy, body, Sign(body, WebhookSecret), StripeAddress));
        }
        var overBudget = Event();
        using var refusedGenuine = await SendAsync(BehindProxy, overBudget, Sign(overBudget, WebhookSecret), StripeAddress);

        Assert.Equal(RefusalsPerAddress, unsigned.Count(s => s == HttpStatusCode.BadRequest));
        Assert.Equal(200 - RefusalsPerAddress, unsigned.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(RefusalsPerAddress, badlySigned.Count(s => s == HttpStatusCode.BadRequest));
        Assert.Equal(200 - RefusalsPerAddress, badlySigned.Count(s => s == HttpStatusCode.TooManyRequests));
        // The whole budget was still there for Stripe's events; the budget itself still holds.
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, Budget), genuine);
        Assert.Equal(HttpStatusCode.TooManyRequests, refusedGenuine.StatusCode);
        Assert.True(refusedGenuine.Headers.Contains("Retry-After"));
        var problem = JsonDocument.Parse(await refusedGenuine.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("rate_limited", problem.GetProperty("code").GetString());
        Assert.Equal("webhook", problem.GetProperty("limit").GetProperty("name").GetString());
        var audit = await _cluster.ClusterClient.GetGrain<IAuditLogGrain>(IAuditLogGrain.PlatformChain).ListAsync(new PageRequest(100, null));
        var refused = audit.Items.Where(e => e.Action == "stripe_webhook.refused").ToList();
        Assert.Equal(["127.0.0.1", "203.0.113.66"], refused.Select(e => e.Ip).Order(StringComparer.Ordinal));
    }

    private async Task<HttpStatusCode> PostAsync(int host, string body, string? signature, string? forwardedFor)
    {
        using var response = await SendAsync(host, body, signature, forwardedFor);
        return response.StatusCode;
    }

    private async Task<HttpResponseMessage> SendAsync(int host, string body, string? signature, string? forwardedFor)
    {
        using var client = _cluster.Client(index: host);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/stripe/webhook") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation("Stripe-Signature", signature);
        }
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    /// <summary>An event of a type the platform records and ignores: nothing else is needed to accept it.</summary>
    private static string Event() => new JsonObject
    {
        ["id"] = "evt_" + PlatformIds.RandomToken(24),
        ["object"] = "event",
        ["api_version"] = Stripe.StripeConfiguration.ApiVersion,
        ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["livemode"] = false,
        ["pending_webhooks"] = 1,
        ["type"] = "radar.early_fraud_warning.created",
        ["data"] = new JsonObject { ["object"] = new JsonObject { ["id"] = "issfr_1", ["object"] = "radar.early_fraud_warning" } },
    }.ToJsonString();

    private static string Sign(string body, string secret)
    {
        var t = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var mac = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret),
            Encoding.UTF8.GetBytes(t.ToString(CultureInfo.InvariantCulture) + "." + body)));
        return $"t={t},v1={mac}";
    }
}

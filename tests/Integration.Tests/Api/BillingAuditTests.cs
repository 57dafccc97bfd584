using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Integration.Tests.Infrastructure;
using Platform.Integration.Tests.Plans;

namespace Platform.Integration.Tests.Api;

/// <summary>
/// Plan, subscription, payment and refund changes land in the tenant's audit chain, read back through
/// GET /v1/audit_events: who (the key), what, on which object, with ids and amounts only.
/// </summary>
[Collection(PciClusterCollection.Name)]
public sealed class BillingAuditTests(PciClusterFixture fixture)
{
    private static readonly string[] _billingActions =
    [
        "plan.created", "plan.archived", "plan.deleted", "subscription.created", "subscription.plan_changed",
        "subscription.canceled", "payment.created", "refund.created",
    ];

    private PlatformCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task BillingChanges_AreAuditedWithTheKeyAndTheIds_InAnIntactChain()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var client = Cluster.Client(tenant.Secret);
        var pro = await IdOf(client.PostAsJsonAsync("/v1/plans", PlansApiTests.ProPlan("pro")));
        var team = await IdOf(client.PostAsJsonAsync("/v1/plans", PlansApiTests.ProPlan("team")));
        var old = await IdOf(client.PostAsJsonAsync("/v1/plans", PlansApiTests.ProPlan("old")));
        var gone = await IdOf(client.PostAsJsonAsync("/v1/plans", PlansApiTests.ProPlan("gone")));
        await ClusterFixture.Json(await client.PostAsync($"/v1/plans/{old}/archive", null));
        await ClusterFixture.Json(await client.PostAsync($"/v1/plans/{old}/archive", null));
        await ClusterFixture.Json(await client.DeleteAsync($"/v1/plans/{gone}"));
        var customer = await IdOf(client.PostAsJsonAsync("/v1/customers", new { name = "Audited payer" }));
        var subscription = await IdOf(client.PostAsJsonAsync("/v1/subscriptions", new { customer, plan = pro }));
        await ClusterFixture.Json(await client.PostAsJsonAsync($"/v1/subscriptions/{subscription}", new { plan = team }));
        await ClusterFixture.Json(await client.PostAsJsonAsync($"/v1/subscriptions/{subscription}/cancel", new { at_period_end = true }));
        var visa = await IdOf(client.PostAsJsonAsync("/v1/payment_methods/pm_card_visa/attach", new { customer }));
        var declining = await IdOf(client.PostAsJsonAsync("/v1/payment_methods/pm_card_chargeDeclined/attach", new { customer }));
        var paymentKey = Key();
        var paid = await IdOf(PostAsync(client, "/v1/payment_intents", new { customer, amount = 1500, currency = "eur", payment_method = visa, confirm = true }, paymentKey));
        // The same request again is answered from the record: no second entry.
        await IdOf(PostAsync(client, "/v1/payment_intents", new { customer, amount = 1500, currency = "eur", payment_method = visa, confirm = true }, paymentKey));
        var declined = await PostAsync(client, "/v1/payment_intents", new { customer, amount = 700, currency = "eur", payment_method = declining, confirm = true }, Key());
        Assert.Equal(HttpStatusCode.PaymentRequired, declined.StatusCode);
        var refund = await IdOf(PostAsync(client, "/v1/refunds", new { payment_intent = paid, amount = 500 }, Key()));

        var audit = await ClusterFixture.Json(await client.GetAsync("/v1/audit_events?limit=100"));
        var entries = audit.GetProperty("data").EnumerateArray().Reverse()
            .Where(e => _billingActions.Contains(e.GetProperty("action").GetString())).ToList();

        Assert.Equal(
            [
                ("plan.created", pro), ("plan.created", team), ("plan.created", old), ("plan.created", gone),
                ("plan.archived", old), ("plan.deleted", gone),
                ("subscription.created", subscription), ("subscription.plan_changed", subscription), ("subscription.canceled", subscription),
                ("payment.created", paid), ("payment.created", entries[10].GetProperty("subject").GetString()!), ("refund.created", refund),
            ],
            entries.Select(e => (e.GetProperty("action").GetString()!, e.GetProperty("subject").GetString()!)));
        Assert.All(entries, e => Assert.Equal(tenant.KeyId, e.GetProperty("actor").GetString()));
        Assert.All(entries, e => Assert.False(string.IsNullOrEmpty(e.GetProperty("request_id").GetString())));
        Assert.Equal(Details(("code", "pro"), ("currency", "usd"), ("amount", "4900")), Details(entries[0]));
        Assert.Equal(Details(("code", "gone")), Details(entries[5]));
        Assert.Equal(Details(("customer", customer), ("plan", pro), ("status", "trialing")), Details(entries[6]));
        Assert.Equal(Details(("customer", customer), ("plan", team), ("previous_plan", pro)), Details(entries[7]));
        Assert.Equal(Details(("customer", customer), ("at_period_end", "true")), Details(entries[8]));
        Assert.Equal(Details(("customer", customer), ("amount", "1500"), ("currency", "eur"), ("outcome", "succeeded")), Details(entries[9]));
        Assert.Equal(Details(("customer", customer), ("amount", "700"), ("currency", "eur"), ("outcome", "card_declined"), ("decline_code", "generic_decline")),
            Details(entries[10]));
        Assert.StartsWith("pay_", entries[10].GetProperty("subject").GetString());
        Assert.NotEqual(paid, entries[10].GetProperty("subject").GetString());
        Assert.Equal(Details(("customer", customer), ("amount", "500"), ("currency", "eur"), ("payment_intent", paid), ("outcome", "succeeded")),
            Details(entries[11]));

        var verify = await ClusterFixture.Json(await client.GetAsync("/v1/audit_events/verify"));
        Assert.True(verify.GetProperty("intact").GetBoolean());
    }

    private static SortedDictionary<string, string> Details(params (string Key, string Value)[] details) =>
        new(details.ToDictionary(d => d.Key, d => d.Value), StringComparer.Ordinal);

    private static SortedDictionary<string, string> Details(JsonElement entry) =>
        new(entry.GetProperty("details").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!), StringComparer.Ordinal);

    private static string Key() =>
        "audit-" + string.Concat(Guid.NewGuid().ToString("N").Select(c => char.IsAsciiDigit(c) ? (char)('g' + c - '0') : c));

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, object body, string idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await client.SendAsync(request);
    }

    private static async Task<string> IdOf(Task<HttpResponseMessage> response) =>
        (await ClusterFixture.Json(await response)).GetProperty("id").GetString()!;
}
